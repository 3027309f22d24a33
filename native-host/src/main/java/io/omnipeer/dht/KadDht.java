package io.omnipeer.dht;

import io.netty.handler.timeout.ReadTimeoutHandler;
import io.omnipeer.core.Connection;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Peerstore;
import io.omnipeer.core.Stream;
import io.omnipeer.core.codec.UvarintFrameDecoder;
import io.omnipeer.core.crypto.PublicKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.protocol.identify.IdentifyService;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kademlia DHT on a libp2p host: {@code /ipfs/kad/1.0.0} (libp2p/specs kad-dht/README.md). In server mode it
 * answers the protocol (so identify advertises it); in client mode it only queries. Peers whose identify lists
 * {@code /ipfs/kad/1.0.0} enter the routing table ("Client and server mode"). The algorithms live in
 * {@link Kademlia}; this class binds them to the host's streams, peerstore and identify.
 *
 * <p>Bounded: inbound kad streams at most {@link #MAX_INBOUND_STREAMS} at once (more are reset), each closed after
 * {@link #STREAM_IDLE_TIMEOUT} without a request; frames at most {@link DhtCodec#MAX_MESSAGE_BYTES}. Thread-safe;
 * futures complete on host or timer threads, so do not block in their continuations.
 */
public final class KadDht implements AutoCloseable {
    public static final String PROTOCOL = "/ipfs/kad/1.0.0";
    /** Concurrent inbound kad streams (js-libp2p allows 32 per connection; this is for all peers together). */
    public static final int MAX_INBOUND_STREAMS = 512;
    /** Concurrent inbound kad streams from one peer (js-libp2p's maxInboundStreams for kad is 32). */
    public static final int MAX_INBOUND_STREAMS_PER_PEER = 32;
    /** An inbound stream with no request for this long is closed (js-libp2p: 10 s per message). */
    public static final Duration STREAM_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Delay between the first routing-table peer and the bootstrap it triggers. */
    static final Duration FIRST_PEER_BOOTSTRAP_DELAY = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(KadDht.class);

    private final DefaultHost host;
    private final DhtConfig config;
    private final ScheduledExecutorService scheduler;
    private final Kademlia kademlia;
    private final AtomicInteger inboundStreams = new AtomicInteger();
    private final ConcurrentHashMap<PeerId, AtomicInteger> inboundPerPeer =
            new ConcurrentHashMap<>();
    private final boolean server;
    private final AtomicBoolean bootstrapPending = new AtomicBoolean();
    private volatile boolean started;

    /**
     * Creates the DHT on {@code host} (call {@link #start()} after the host listens).
     * @param identify the host's identify service, whose results decide routing-table membership
     */
    public KadDht(DefaultHost host, IdentifyService identify, DhtConfig config) {
        this.host = host;
        this.config = config;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kad-dht-timer");
            t.setDaemon(true);
            return t;
        });
        DhtTimer timer = DhtTimer.system(scheduler);
        Peerstore peerstore = host.peerstore();
        this.kademlia = new Kademlia(host.peerId(), config,
                new HostDhtNetwork(host, config.lookup().requestTimeout()), timer, new PeerstoreAddressBook(),
                ValidatorRegistry.standard(timer), this::publicKey);
        this.server = switch (config.mode()) {
            case SERVER -> true;
            case CLIENT -> false;
            case AUTO -> true;
        };
        identify.addListener((peer, result) -> {
            if (result.protocols().contains(PROTOCOL)) {
                boolean wasEmpty = kademlia.routingTable().size() == 0;
                if (kademlia.addPeer(peer) && wasEmpty) {
                    bootstrapSoon();
                }
            } else if (!result.protocols().isEmpty()) {
                kademlia.removePeer(peer);
            }
        });
        if (server) {
            host.setStreamHandler(PROTOCOL, this::serve);
        }
        for (Connection c : host.connections()) {
            if (peerstore.protocols(c.remotePeer()).contains(PROTOCOL)) {
                kademlia.addPeer(c.remotePeer());
            }
        }
    }

    /**
     * The routing table just got its first peer: bootstrap from it shortly (coalescing the peers that identify in the
     * same moment), instead of waiting for the next refresh.
     */
    private void bootstrapSoon() {
        if (started && bootstrapPending.compareAndSet(false, true)) {
            scheduler.schedule(() -> kademlia.bootstrap().whenComplete((v, e) -> bootstrapPending.set(false)),
                    FIRST_PEER_BOOTSTRAP_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Starts bootstrap (self lookup) and the periodic refresh, republish and expiry. */
    public void start() {
        started = true;
        if (config.mode() == DhtMode.AUTO && host.listenAddresses().isEmpty()) {
            host.removeStreamHandler(PROTOCOL);
            LOG.info("dht in AUTO mode without listen addresses: client mode");
        }
        kademlia.start();
    }

    /** Whether we serve {@code /ipfs/kad/1.0.0}. */
    public boolean isServer() {
        return server && host.supportedProtocols().contains(PROTOCOL);
    }

    private void serve(Stream stream) {
        PeerId peer = stream.remotePeer();
        AtomicInteger fromPeer = inboundPerPeer.computeIfAbsent(peer, p -> new AtomicInteger());
        int total = inboundStreams.incrementAndGet();
        int mine = fromPeer.incrementAndGet();
        if (total > MAX_INBOUND_STREAMS || mine > MAX_INBOUND_STREAMS_PER_PEER) {
            LOG.info("too many inbound kad streams ({} in all, {} from {}), resetting one", total, mine, peer);
            release(peer, fromPeer);
            stream.reset();
            return;
        }
        AtomicInteger once = new AtomicInteger();
        stream.channel().pipeline().addLast(
                new ReadTimeoutHandler(STREAM_IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                new UvarintFrameDecoder(DhtCodec.MAX_MESSAGE_BYTES),
                new DhtServerHandler(stream, kademlia, () -> {
                    if (once.getAndIncrement() == 0) {
                        release(peer, fromPeer);
                    }
                }));
    }

    private void release(PeerId peer, AtomicInteger fromPeer) {
        inboundStreams.decrementAndGet();
        if (fromPeer.decrementAndGet() <= 0) {
            inboundPerPeer.remove(peer, fromPeer);
        }
    }

    private Optional<PublicKey> publicKey(PeerId peer) {
        if (peer.equals(host.peerId())) {
            return Optional.of(host.privateKey().publicKey());
        }
        return host.peerstore().publicKey(peer).or(peer::extractPublicKey);
    }

    /** The transport-free DHT node (stores, routing table, operations). */
    public Kademlia kademlia() {
        return kademlia;
    }

    public RoutingTable routingTable() {
        return kademlia.routingTable();
    }

    /** The routing table's peers (the connection manager protects these). */
    public Set<PeerId> routingTablePeers() {
        return kademlia.routingTable().peers();
    }

    public ValidatorRegistry validators() {
        return kademlia.validators();
    }

    /** See {@link Kademlia#findPeer}. */
    public CompletableFuture<Optional<DhtPeer>> findPeer(PeerId peer) {
        return kademlia.findPeer(peer);
    }

    /** See {@link Kademlia#lookupPeer}. */
    public CompletableFuture<PeerLookup> lookupPeer(PeerId peer) {
        return kademlia.lookupPeer(peer);
    }

    /** See {@link Kademlia#getClosestPeers}. */
    public CompletableFuture<List<PeerId>> getClosestPeers(byte[] key) {
        return kademlia.getClosestPeers(key);
    }

    /** See {@link Kademlia#findClosest} (with hop and timing figures). */
    public CompletableFuture<LookupResult> findClosest(byte[] key) {
        return kademlia.findClosest(key);
    }

    /** See {@link Kademlia#putValue}; fails with IllegalArgumentException if no validator accepts the record. */
    public CompletableFuture<Integer> putValue(byte[] key, byte[] value) {
        return kademlia.putValue(key, value);
    }

    /** See {@link Kademlia#getValue(byte[])}. */
    public CompletableFuture<Optional<byte[]>> getValue(byte[] key) {
        return kademlia.getValue(key);
    }

    /**
     * Puts {@code value} under {@code /omnipeer/app/<ns>/<name>} as an app record signed by this node's key, with
     * sequence number max(now in ms, the stored record's + 1) so a later put wins.
     * @return completes with how many remote peers stored it
     */
    public CompletableFuture<Integer> putAppValue(String ns, String name, byte[] value) {
        byte[] key = AppRecordValidator.keyFor(ns, name);
        long seq = System.currentTimeMillis();
        Optional<RecordStore.StoredRecord> stored = kademlia.records().get(key);
        if (stored.isPresent()) {
            try {
                seq = Math.max(seq, AppRecordValidator.open(key, stored.get().value()).seq() + 1);
            } catch (InvalidRecordException e) {
                // an unreadable local record does not constrain the new one
            }
        }
        return putValue(key, AppRecordValidator.sign(host.privateKey(), key, value, seq));
    }

    /** Gets and verifies the best app record under {@code /omnipeer/app/<ns>/<name>}; empty if none. */
    public CompletableFuture<Optional<AppRecordValidator.SignedValue>> getAppValue(String ns, String name) {
        byte[] key = AppRecordValidator.keyFor(ns, name);
        return getValue(key).thenApply(v -> v.flatMap(bytes -> {
            try {
                return Optional.of(AppRecordValidator.open(key, bytes));
            } catch (InvalidRecordException e) {
                return Optional.empty();
            }
        }));
    }

    /** See {@link Kademlia#provide}; the key must be a multihash. */
    public CompletableFuture<Integer> provide(byte[] key) {
        return kademlia.provide(key);
    }

    /** See {@link Kademlia#findProviders}. */
    public CompletableFuture<List<DhtPeer>> findProviders(byte[] key, int limit) {
        return kademlia.findProviders(key, limit);
    }

    /** See {@link Kademlia#bootstrap}. */
    public CompletableFuture<Void> bootstrap() {
        return kademlia.bootstrap();
    }

    @Override
    public void close() {
        kademlia.close();
        host.removeStreamHandler(PROTOCOL);
        scheduler.shutdownNow();
    }

    /** Addresses from the host's peerstore; ours from its listeners. */
    private final class PeerstoreAddressBook implements DhtAddressBook {
        @Override
        public List<Multiaddr> addresses(PeerId peer) {
            return host.peerstore().addresses(peer);
        }

        @Override
        public void addAddresses(PeerId peer, List<Multiaddr> addrs) {
            if (!peer.equals(host.peerId())) {
                host.peerstore().addAddresses(peer, addrs);
            }
        }

        @Override
        public List<Multiaddr> selfAddresses() {
            return host.listenAddresses();
        }
    }
}
