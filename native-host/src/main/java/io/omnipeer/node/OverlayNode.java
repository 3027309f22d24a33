package io.omnipeer.node;

import io.omnipeer.core.Connection;
import io.omnipeer.core.ConnectionListener;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Peerstore;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.discovery.bootstrap.Bootstrapper;
import io.omnipeer.connmgr.ConnectionManager;
import io.omnipeer.dht.KadDht;
import io.omnipeer.dht.RoutingTableListener;
import io.omnipeer.discovery.mdns.MdnsService;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.protocol.identify.IdentifyService;
import io.omnipeer.protocol.ping.PingService;
import io.omnipeer.pubsub.PubsubMessage;
import io.omnipeer.pubsub.gossipsub.GossipRouter;
import io.omnipeer.store.Database;
import io.omnipeer.store.IdentityFile;
import io.omnipeer.store.PeerStoreDb;
import io.omnipeer.rcmgr.ResourceManager;
import io.omnipeer.rcmgr.ResourceSettings;
import io.omnipeer.host.HostLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The always-on overlay node: a libp2p host (TCP, Noise, yamux) with identify, ping, gossipsub (answering floodsub peers too),
 * the Kademlia DHT ({@code /ipfs/kad/1.0.0}, {@link #dht()}),
 * discovery by mDNS and a bootstrap list, and a peerstore persisted in the data dir so a restart keeps
 * its identity and reconnects to the peers it knew.
 *
 * <p>Thread-safe. Created with {@link #start(NodeConfig)}, stopped with {@link #close()}.
 */
public final class OverlayNode implements Node {
    private static final Logger log = LoggerFactory.getLogger(OverlayNode.class);
    /** How long start() waits for the listeners to bind. */
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);
    /** Files in the data dir. */
    public static final String IDENTITY_FILE = "identity.key";
    /** Connection manager protection of gossipsub mesh peers (every topic we are subscribed to). */
    public static final String GOSSIP_MESH_TAG = "gossipsub-mesh";
    /** Connection manager tag of Kademlia routing-table peers, and its value (go-libp2p kad-dht uses 5). */
    public static final String KAD_TAG = "kbucket";
    static final int KAD_TAG_VALUE = 5;
    public static final String DATABASE_FILE = "omnipeer.db";
    /** Environment variable naming the mDNS interface when none is configured. */
    public static final String MDNS_INTERFACE_ENV = "OMNIPEER_MDNS_INTERFACE";

    private final NodeConfig config;
    private final Database ownedDatabase;
    private final PeerStoreDb peerStoreDb;
    private final DefaultHost host;
    private final IdentifyService identify;
    private final PingService ping;
    private final GossipRouter pubsub;
    private final Bootstrapper bootstrapper;
    private final KadDht dht;
    private final ConnectionManager connectionManager;
    private final List<PeerListener> peerListeners = new CopyOnWriteArrayList<>();
    private MdnsService mdns;

    private OverlayNode(NodeConfig config, PrivateKey key, Database ownedDatabase, PeerStoreDb peerStoreDb,
                        Peerstore peerstore, ResourceManager resources) {
        this.config = config;
        this.ownedDatabase = ownedDatabase;
        this.peerStoreDb = peerStoreDb;
        this.host = new DefaultHost(key, peerstore, config.agentVersion(), HostLimits.DEFAULT, resources);
        this.identify = new IdentifyService(host);
        this.ping = new PingService(host);
        this.pubsub = new GossipRouter(host);
        this.pubsub.setEmitSelf(true); // Node.subscribe's contract: a subscriber also receives this node's publishes
        this.bootstrapper = new Bootstrapper(host);
        this.dht = new KadDht(host, identify, config.dht());
        this.connectionManager = new ConnectionManager(host, config.connections());
        connectionManager.protectWhile(GOSSIP_MESH_TAG, this::gossipMeshPeers);
        dht.routingTable().addListener(new RoutingTableListener() {
            @Override
            public void onPeerAdded(PeerId peer) {
                connectionManager.tagPeer(peer, KAD_TAG, KAD_TAG_VALUE);
            }

            @Override
            public void onPeerRemoved(PeerId peer) {
                connectionManager.untagPeer(peer, KAD_TAG);
            }
        });
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void onConnected(Connection connection) {
                peerListeners.forEach(l -> l.onPeerConnected(connection.remotePeer()));
            }

            @Override
            public void onDisconnected(Connection connection) {
                if (host.connection(connection.remotePeer()).isEmpty()) {
                    peerListeners.forEach(l -> l.onPeerDisconnected(connection.remotePeer()));
                }
            }
        });
    }

    /**
     * Loads or creates the identity in {@code config.dataDir()}, listens on the configured addresses,
     * starts discovery and dials the bootstrap list and the peers remembered from the last run.
     *
     * @throws IOException if the data dir, identity or peerstore cannot be read or written, or a
     *                     listen address cannot be bound
     */
    public static OverlayNode start(NodeConfig config) throws IOException {
        Files.createDirectories(config.dataDir());
        Database db = Database.open(config.dataDir().resolve(DATABASE_FILE));
        try {
            return start(config, db, db);
        } catch (IOException | RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Like {@link #start(NodeConfig)} but on a database the caller opened (the daemon shares it with the
     * grant store) and keeps ownership of.
     */
    public static OverlayNode start(NodeConfig config, Database db) throws IOException {
        return start(config, db, null);
    }

    private static OverlayNode start(NodeConfig config, Database db, Database owned) throws IOException {
        Files.createDirectories(config.dataDir());
        PrivateKey key = IdentityFile.loadOrCreate(config.dataDir().resolve(IDENTITY_FILE));
        PeerStoreDb peerStoreDb = new PeerStoreDb(db);
        InMemoryPeerstore peerstore = new InMemoryPeerstore();
        peerStoreDb.loadInto(peerstore);
        OverlayNode node = new OverlayNode(config, key, owned, peerStoreDb, peerstore,
                ResourceSettings.load(config.dataDir(), db));
        try {
            node.startServices();
        } catch (IOException | RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void startServices() throws IOException {
        pubsub.start();
        for (Multiaddr addr : config.listenAddrs()) {
            try {
                host.listen(addr).get(LISTEN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                throw new IOException("cannot listen on " + addr + ": " + rootMessage(e), e);
            }
        }
        peerStoreDb.persistFrom(host.peerstore(), host.peerId());
        dht.start();
        for (String entry : config.bootstrap()) {
            bootstrapper.addTarget(Multiaddr.parse(entry), 0);
        }
        for (PeerId known : host.peerstore().peers()) {
            for (Multiaddr addr : host.peerstore().addresses(known)) {
                bootstrapper.addTarget(addr.withPeerId(known), Bootstrapper.DISCOVERED_PEER_ATTEMPTS);
            }
        }
        if (config.mdns()) {
            try {
                String iface = config.mdnsInterface() != null ? config.mdnsInterface() : defaultMdnsInterface();
                mdns = new MdnsService(host.peerId(), host::listenAddresses, iface,
                        (peer, addrs) -> addrs.forEach(a ->
                                bootstrapper.addTarget(a.withPeerId(peer), Bootstrapper.DISCOVERED_PEER_ATTEMPTS)));
                mdns.start();
            } catch (IOException | RuntimeException e) {
                // LAN discovery is best effort: the node still works from its bootstrap list.
                log.warn("mDNS disabled: {}", e.getMessage());
                mdns = null;
            }
        }
        log.info("node {} listening on {}", host.peerId(), host.listenAddresses());
    }

    @Override
    public PeerId peerId() {
        return host.peerId();
    }

    @Override
    public List<Multiaddr> listenAddresses() {
        return host.listenAddresses();
    }

    @Override
    public String agentVersion() {
        return config.agentVersion();
    }

    @Override
    public List<PeerInfo> connectedPeers() {
        Set<PeerId> ids = new LinkedHashSet<>();
        for (Connection connection : host.connections()) {
            ids.add(connection.remotePeer());
        }
        List<PeerInfo> out = new ArrayList<>();
        Peerstore store = host.peerstore();
        for (PeerId id : ids) {
            out.add(new PeerInfo(id, store.addresses(id), List.copyOf(store.protocols(id)),
                    store.agentVersion(id).orElse("")));
        }
        return out;
    }

    @Override
    public CompletableFuture<PeerId> connect(Multiaddr addr) {
        return host.dial(addr).thenApply(Connection::remotePeer);
    }

    /**
     * {@inheritDoc} Order: an open connection; the peerstore's addresses; else (or when those fail) a DHT
     * {@code FIND_NODE} lookup for the peer's addresses, then a dial.
     */
    @Override
    public CompletableFuture<PeerId> connect(PeerId peer) {
        if (host.connection(peer).isPresent()) {
            return CompletableFuture.completedFuture(peer);
        }
        CompletableFuture<Connection> known = host.peerstore().addresses(peer).isEmpty()
                ? CompletableFuture.failedFuture(new IllegalStateException("no known address for " + peer))
                : host.connect(peer);
        return known.handle((c, e) -> c != null ? CompletableFuture.completedFuture(c) : dht.findPeer(peer)
                        .thenCompose(found -> found.map(p -> host.connect(peer)).orElseGet(() ->
                                CompletableFuture.failedFuture(new IllegalStateException(
                                        "no address for " + peer + " found in the DHT")))))
                .thenCompose(f -> f).thenApply(Connection::remotePeer);
    }

    @Override
    public CompletableFuture<io.omnipeer.core.Stream> newStream(PeerId peer, String protocol,
                                                               io.omnipeer.core.ProtocolHandler initializer) {
        return connect(peer).thenCompose(p -> host.connection(peer)
                .map(c -> c.newStream(List.of(protocol), initializer))
                .orElseGet(() -> CompletableFuture.failedFuture(new IllegalStateException(
                        "connection to " + peer + " closed before the stream opened"))));
    }

    @Override
    public void setStreamHandler(String protocol, io.omnipeer.core.ProtocolHandler handler) {
        host.setStreamHandler(protocol, handler);
    }

    @Override
    public void removeStreamHandler(String protocol) {
        host.removeStreamHandler(protocol);
    }

    @Override
    public KadDht dht() {
        return dht;
    }

    @Override
    public CompletableFuture<Duration> ping(PeerId peer) {
        return ping.ping(peer);
    }

    @Override
    public PubsubSubscription subscribe(String topic, Consumer<PubsubMessage> onMessage) {
        io.omnipeer.pubsub.Subscription subscription = pubsub.subscribe(topic, onMessage);
        return new PubsubSubscription() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public void close() {
                subscription.close();
            }
        };
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] data) {
        return pubsub.publish(topic, data);
    }

    @Override
    public void addPeerListener(PeerListener listener) {
        peerListeners.add(listener);
    }

    @Override
    public ResourceManager resources() {
        return host.resourceManager();
    }

    /** The libp2p host, for services built on top of the node (and tests). */
    public DefaultHost host() {
        return host;
    }

    /**
     * The pubsub router: gossipsub {@code /meshsub/1.1.0} and {@code /meshsub/1.0.0}, with {@code /floodsub/1.0.0}
     * peers served as floodsub serves them (tests, diagnostics, topic validators).
     */
    public GossipRouter pubsub() {
        return pubsub;
    }

    /** Keeps connections between the configured watermarks; protect or tag peers here. */
    public ConnectionManager connectionManager() {
        return connectionManager;
    }

    private java.util.Set<PeerId> gossipMeshPeers() {
        java.util.Set<PeerId> peers = new java.util.HashSet<>();
        for (String topic : pubsub.topics()) {
            peers.addAll(pubsub.meshPeers(topic));
        }
        return peers;
    }

    @Override
    public CompletableFuture<Void> close() {
        if (mdns != null) {
            mdns.close();
        }
        bootstrapper.close();
        connectionManager.close();
        dht.close();
        pubsub.close();
        return host.close().whenComplete((v, e) -> {
            peerStoreDb.close();
            if (ownedDatabase != null) {
                ownedDatabase.close();
            }
        });
    }

    /**
     * The interface mDNS uses when the config names none: {@code $OMNIPEER_MDNS_INTERFACE} if set (tests and CI
     * set {@code lo}), else the first interface that is up, not loopback, multicast-capable and has IPv4,
     * else {@code lo}.
     */
    static String defaultMdnsInterface() {
        String fromEnv = System.getenv(MDNS_INTERFACE_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        try {
            for (java.net.NetworkInterface ni : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && !ni.isLoopback() && ni.supportsMulticast()
                        && ni.inetAddresses().anyMatch(a -> a instanceof java.net.Inet4Address)) {
                    return ni.getName();
                }
            }
        } catch (java.net.SocketException e) {
            log.debug("cannot list interfaces: {}", e.getMessage());
        }
        return "lo";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
