package io.omnipeer.host;

import io.netty.channel.Channel;
import io.omnipeer.core.Connection;
import io.omnipeer.core.ConnectionListener;
import io.omnipeer.core.Host;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Peerstore;
import io.omnipeer.core.ProtocolHandler;
import io.omnipeer.core.Stream;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.muxer.yamux.YamuxStreamChannel;
import io.omnipeer.negotiation.multistream.MultistreamHandler;
import io.omnipeer.rcmgr.ConnectionScope;
import io.omnipeer.rcmgr.Direction;
import io.omnipeer.rcmgr.ResourceLimitException;
import io.omnipeer.rcmgr.ResourceManager;
import io.omnipeer.rcmgr.StreamScope;
import io.omnipeer.transport.tcp.TcpTransport;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p {@link Host}: TCP listeners and dials, each connection upgraded with Noise and yamux
 * ({@link ConnectionUpgrader}), inbound streams negotiated with multistream-select against the registered
 * {@link ProtocolHandler}s. Spec: libp2p/specs connections/README.md.
 *
 * <p>Limits ({@link HostLimits}, by default {@link #MAX_CONNECTIONS} TCP connections, upgrading ones included, more
 * refused at accept or dial; {@link #MAX_STREAMS_PER_CONNECTION} streams per connection) and, finer, a
 * {@link ResourceManager} that accounts every connection and stream in its scopes, refuses what passes a limit and
 * throttles app and global bandwidth (a handler first in each stream pipeline).
 *
 * <p>Dials: {@link #connect} reuses an open connection, and concurrent calls for one peer share one dial; an address
 * that failed is skipped for an exponentially growing, capped time ({@link DialBackoff}); at most
 * {@link HostLimits#maxPendingDials()} dials are in flight (more fail with {@link DialRefusedException}). Two
 * connections to one peer (e.g. simultaneous dials) are deduplicated the same way on both sides: the one dialled by
 * the peer with the smaller peer id stays (between two dialled by one side, the one from the lower source port);
 * the other is closed once its streams are done ({@link #DRAIN_LIMIT_MILLIS} at most). Thread-safe; listeners run
 * on connection event loops.
 */
public final class DefaultHost implements Host {
    /** TCP connections at once, inbound and outbound, including those still upgrading. */
    public static final int MAX_CONNECTIONS = 256;
    /** Concurrent yamux streams per connection, both directions. */
    public static final int MAX_STREAMS_PER_CONNECTION = 512;
    /** Event loop threads: the daemon shares a small machine with a browser. */
    public static final int EVENT_LOOP_THREADS = 2;
    /** How long a duplicate connection may keep streams open before it is closed anyway, ms. */
    public static final long DRAIN_LIMIT_MILLIS = 10_000;
    /** How often a draining duplicate connection is checked for open streams, ms. */
    private static final long DRAIN_CHECK_MILLIS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(DefaultHost.class);

    private record Listener(Channel channel, Multiaddr requested) {
    }

    private final HostLimits limits;
    private final ResourceManager resources;
    private final PrivateKey privateKey;
    private final PeerId peerId;
    private final Peerstore peerstore;
    private final String agentVersion;
    private final TcpTransport transport = new TcpTransport(EVENT_LOOP_THREADS);
    private final ConnectionUpgrader upgrader;
    private final Map<String, ProtocolHandler> handlers = new ConcurrentHashMap<>();
    private final Set<YamuxConnection> connections = ConcurrentHashMap.newKeySet();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> protocolListeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger transportConnections = new AtomicInteger();
    private final AtomicInteger pendingDials = new AtomicInteger();
    private final Set<YamuxConnection> draining = ConcurrentHashMap.newKeySet();
    private final Map<PeerId, CompletableFuture<Connection>> connecting = new ConcurrentHashMap<>();
    private final DialBackoff backoff;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param privateKey   our identity
     * @param peerstore    where addresses, keys and protocols of peers go
     * @param agentVersion what identify announces, e.g. {@code omnipeer/0.1.0}
     */
    public DefaultHost(PrivateKey privateKey, Peerstore peerstore, String agentVersion) {
        this(privateKey, peerstore, agentVersion, HostLimits.DEFAULT);
    }

    /** As {@link #DefaultHost(PrivateKey, Peerstore, String)} with explicit resource caps. */
    public DefaultHost(PrivateKey privateKey, Peerstore peerstore, String agentVersion, HostLimits limits) {
        this(privateKey, peerstore, agentVersion, limits, new ResourceManager());
    }

    /** As {@link #DefaultHost(PrivateKey, Peerstore, String, HostLimits)} accounting in {@code resources}. */
    public DefaultHost(PrivateKey privateKey, Peerstore peerstore, String agentVersion, HostLimits limits,
                       ResourceManager resources) {
        this.limits = limits;
        this.resources = resources;
        this.privateKey = privateKey;
        this.peerId = PeerId.fromPublicKey(privateKey.publicKey());
        this.peerstore = peerstore;
        this.agentVersion = agentVersion;
        this.backoff = new DialBackoff(limits.dialBackoffBase(), limits.dialBackoffMax(), System::nanoTime);
        this.upgrader = new ConnectionUpgrader(privateKey, limits.maxStreamsPerConnection(), this::onInboundStream);
    }

    public String agentVersion() {
        return agentVersion;
    }

    /** Where this host's connections and streams are accounted, limited and throttled. */
    public ResourceManager resourceManager() {
        return resources;
    }

    /** Called (on the caller's thread) whenever {@link #supportedProtocols()} changes, e.g. to trigger identify push. */
    public void addProtocolsListener(Runnable listener) {
        protocolListeners.add(listener);
    }

    @Override
    public PeerId peerId() {
        return peerId;
    }

    @Override
    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * {@inheritDoc} A wildcard bind ({@code 0.0.0.0} or {@code ::}) is listed as one address per interface address of
     * that family (link-local IPv6 excluded), as go-libp2p does, so that identify and mDNS announce dialable addresses.
     */
    @Override
    public List<Multiaddr> listenAddresses() {
        List<Multiaddr> result = new ArrayList<>();
        for (Listener l : listeners) {
            if (l.channel().isActive()) {
                InetSocketAddress bound = (InetSocketAddress) l.channel().localAddress();
                result.addAll(TcpTransport.dialableAddresses(l.requested(), bound));
            }
        }
        return result;
    }

    @Override
    public CompletableFuture<Void> listen(Multiaddr address) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("host is closed"));
        }
        return transport.listen(address, ch -> {
            if (transportConnections.incrementAndGet() > limits.maxConnections() || closed.get()) {
                LOG.info("refusing inbound connection from {}: {} connections open", ch.remoteAddress(), limits.maxConnections());
                transportConnections.decrementAndGet();
                ch.close();
                return;
            }
            ConnectionScope scope;
            try {
                scope = resources.openConnection(Direction.INBOUND);
            } catch (ResourceLimitException e) {
                LOG.info("refusing inbound connection from {}: {}", ch.remoteAddress(), e.getMessage());
                transportConnections.decrementAndGet();
                ch.close();
                return;
            }
            ch.closeFuture().addListener(f -> {
                transportConnections.decrementAndGet();
                scope.done();
            });
            upgrader.upgrade(ch, false, Optional.empty(), scope).whenComplete((c, e) -> {
                if (e == null) {
                    register(c);
                } else {
                    LOG.debug("inbound connection from {} failed to upgrade: {}", ch.remoteAddress(), e.getMessage());
                }
            });
        }).thenAccept(ch -> listeners.add(new Listener(ch, address)));
    }

    @Override
    public CompletableFuture<Connection> dial(Multiaddr address) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("host is closed"));
        }
        Optional<PeerId> expected = address.peerId();
        if (expected.filter(peerId::equals).isPresent()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("cannot dial ourselves"));
        }
        Multiaddr transportAddress = address.withoutPeerId();
        Optional<java.time.Duration> wait = backoff.remaining(transportAddress);
        if (wait.isPresent()) {
            return CompletableFuture.failedFuture(new DialRefusedException("dial backoff: " + transportAddress + " failed "
                    + backoff.failures(transportAddress) + " time(s), next attempt in " + wait.get().toMillis() + " ms"));
        }
        if (pendingDials.incrementAndGet() > limits.maxPendingDials()) {
            pendingDials.decrementAndGet();
            return CompletableFuture.failedFuture(new DialRefusedException("too many pending dials: "
                    + limits.maxPendingDials() + " in flight (HostLimits.maxPendingDials), not dialling " + address));
        }
        CompletableFuture<Connection> result = dialCounted(address, expected, transportAddress);
        result.whenComplete((c, e) -> {
            pendingDials.decrementAndGet();
            if (e == null) {
                backoff.succeeded(transportAddress);
            } else if (!closed.get()) {
                backoff.failed(transportAddress);
            }
        });
        return result;
    }

    private CompletableFuture<Connection> dialCounted(Multiaddr address, Optional<PeerId> expected,
                                                      Multiaddr transportAddress) {
        if (transportConnections.incrementAndGet() > limits.maxConnections()) {
            transportConnections.decrementAndGet();
            return CompletableFuture.failedFuture(new IllegalStateException(limits.maxConnections() + " connections open"));
        }
        ConnectionScope scope;
        try {
            scope = resources.openConnection(Direction.OUTBOUND);
        } catch (ResourceLimitException e) {
            transportConnections.decrementAndGet();
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<YamuxConnection> upgraded = new CompletableFuture<>();
        CompletableFuture<Channel> connected;
        try {
            connected = transport.dial(transportAddress, ch -> {
                ch.closeFuture().addListener(f -> {
                    transportConnections.decrementAndGet();
                    scope.done();
                });
                upgrader.upgrade(ch, true, expected, scope).whenComplete((c, e) -> {
                    if (e == null) {
                        upgraded.complete(c);
                    } else {
                        upgraded.completeExceptionally(e);
                    }
                });
            });
        } catch (RuntimeException e) {
            transportConnections.decrementAndGet();
            scope.done();
            return CompletableFuture.failedFuture(e);
        }
        connected.whenComplete((ch, e) -> {
            if (e != null) {
                scope.done();
                upgraded.completeExceptionally(e);
            }
        });
        return upgraded.thenApply(c -> {
            peerstore.addAddresses(c.remotePeer(), List.of(transportAddress));
            return (Connection) register(c);
        });
    }

    /** Adds {@code c}, tells listeners, and if it duplicates a connection, drains the loser; returns the one kept. */
    private YamuxConnection register(YamuxConnection c) {
        if (closed.get()) {
            c.close();
            return c;
        }
        peerstore.putPublicKey(c.remotePeer(), c.remotePublicKey());
        YamuxConnection keep = c;
        YamuxConnection drop = null;
        synchronized (connections) {
            for (YamuxConnection other : connections) {
                if (other.isOpen() && !draining.contains(other) && other.remotePeer().equals(c.remotePeer())) {
                    keep = preferred(other, c);
                    drop = keep == c ? other : c;
                    draining.add(drop);
                    break;
                }
            }
            connections.add(c);
        }
        c.channel().closeFuture().addListener(f -> {
            draining.remove(c);
            if (connections.remove(c)) {
                for (ConnectionListener l : connectionListeners) {
                    notify(() -> l.onDisconnected(c));
                }
            }
        });
        LOG.debug("connected {}", c);
        for (ConnectionListener l : connectionListeners) {
            notify(() -> l.onConnected(c));
        }
        if (drop != null) {
            LOG.debug("duplicate connection to {}: keeping {}, closing {} once idle", c.remotePeer(), keep, drop);
            drain(drop, System.nanoTime());
        }
        return keep;
    }

    /** The connection both sides keep: dialled by the smaller peer id; from one dialler, the lower source port. */
    private YamuxConnection preferred(YamuxConnection a, YamuxConnection b) {
        PeerId dialerA = a.isInitiator() ? peerId : a.remotePeer();
        PeerId dialerB = b.isInitiator() ? peerId : b.remotePeer();
        int byDialer = java.util.Arrays.compareUnsigned(dialerA.bytes(), dialerB.bytes());
        if (byDialer != 0) {
            return byDialer < 0 ? a : b;
        }
        return dialerPort(a) <= dialerPort(b) ? a : b;
    }

    private static int dialerPort(YamuxConnection c) {
        return ((InetSocketAddress) (c.isInitiator() ? c.channel().localAddress() : c.channel().remoteAddress())).getPort();
    }

    /** Closes {@code c} once it has no stream, or after {@link #DRAIN_LIMIT_MILLIS}. */
    private void drain(YamuxConnection c, long startNanos) {
        if (!c.isOpen()) {
            return;
        }
        c.streamCount().whenComplete((n, e) -> {
            boolean overdue = System.nanoTime() - startNanos > DRAIN_LIMIT_MILLIS * 1_000_000;
            if (e != null || n == 0 || overdue || closed.get()) {
                c.close();
            } else {
                c.channel().eventLoop().schedule(() -> drain(c, startNanos), DRAIN_CHECK_MILLIS,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        });
    }

    private static void notify(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("connection listener failed: {}", e.toString());
        }
    }

    private void onInboundStream(YamuxConnection connection, YamuxStreamChannel ch) {
        StreamScope scope;
        try {
            scope = connection.scope().openStream(Direction.INBOUND);
        } catch (ResourceLimitException | IllegalStateException e) {
            LOG.info("refusing inbound stream on {}: {}", connection, e.getMessage());
            connection.channel().eventLoop().execute(ch::reset); // once the session has registered it
            return;
        }
        ch.closeFuture().addListener(f -> scope.done());
        MultistreamHandler negotiation = MultistreamHandler.responder(handlers::keySet);
        ch.pipeline().addLast("multistream", negotiation);
        negotiation.selected().whenComplete((protocol, error) -> {
            if (error != null) {
                ch.reset();
                return;
            }
            ProtocolHandler handler = handlers.get(protocol);
            if (handler == null) {
                ch.reset();
                return;
            }
            try {
                scope.setProtocol(protocol, ch);
            } catch (ResourceLimitException e) {
                LOG.info("refusing inbound {} stream on {}: {}", protocol, connection, e.getMessage());
                ch.reset();
                return;
            }
            try {
                handler.handle(new MuxedStream(ch, protocol, connection));
            } catch (RuntimeException e) {
                LOG.warn("handler for {} failed on {}: {}", protocol, connection, e.toString());
                ch.reset();
            }
        });
    }

    @Override
    public CompletableFuture<Connection> connect(PeerId peer) {
        Optional<Connection> open = connection(peer);
        if (open.isPresent()) {
            return CompletableFuture.completedFuture(open.get());
        }
        CompletableFuture<Connection> mine = new CompletableFuture<>();
        CompletableFuture<Connection> shared = connecting.putIfAbsent(peer, mine);
        if (shared != null) {
            return shared.thenApply(c -> c);
        }
        List<Multiaddr> addresses = peerstore.addresses(peer);
        CompletableFuture<Connection> attempt = addresses.isEmpty()
                ? CompletableFuture.failedFuture(new IllegalStateException("no known address for " + peer))
                : dialInTurn(addresses.iterator(), peer, null);
        attempt.whenComplete((c, e) -> {
            connecting.remove(peer, mine);
            if (e == null) {
                mine.complete(c);
            } else {
                mine.completeExceptionally(e);
            }
        });
        return mine.thenApply(c -> c);
    }

    private CompletableFuture<Connection> dialInTurn(Iterator<Multiaddr> addresses, PeerId peer, Throwable last) {
        if (!addresses.hasNext()) {
            return CompletableFuture.failedFuture(new IllegalStateException("could not reach " + peer, last));
        }
        Multiaddr next = addresses.next();
        CompletableFuture<Connection> attempt;
        try {
            attempt = dial(next.withoutPeerId().withPeerId(peer));
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        return attempt.handle((c, e) -> c != null ? CompletableFuture.completedFuture(c) : dialInTurn(addresses, peer, e))
                .thenCompose(f -> f);
    }

    @Override
    public CompletableFuture<Stream> newStream(PeerId peer, String... protocols) {
        return connect(peer).thenCompose(c -> c.newStream(List.of(protocols)));
    }

    @Override
    public CompletableFuture<Stream> newStream(PeerId peer, ProtocolHandler initializer, String... protocols) {
        return connect(peer).thenCompose(c -> c.newStream(List.of(protocols), initializer));
    }

    @Override
    public void setStreamHandler(String protocol, ProtocolHandler handler) {
        if (handlers.put(protocol, handler) == null) {
            protocolListeners.forEach(DefaultHost::notify);
        }
    }

    @Override
    public void removeStreamHandler(String protocol) {
        if (handlers.remove(protocol) != null) {
            protocolListeners.forEach(DefaultHost::notify);
        }
    }

    @Override
    public Set<String> supportedProtocols() {
        return Set.copyOf(handlers.keySet());
    }

    @Override
    public List<Connection> connections() {
        return connections.stream().filter(YamuxConnection::isOpen).map(c -> (Connection) c).toList();
    }

    @Override
    public Optional<Connection> connection(PeerId peer) {
        return connections.stream().filter(c -> c.isOpen() && c.remotePeer().equals(peer) && !draining.contains(c))
                .map(c -> (Connection) c).findFirst();
    }

    @Override
    public void addConnectionListener(ConnectionListener listener) {
        connectionListeners.add(listener);
    }

    @Override
    public Peerstore peerstore() {
        return peerstore;
    }

    /** True when Netty's native epoll transport is in use. */
    public boolean isNativeTransport() {
        return transport.isNative();
    }

    @Override
    public CompletableFuture<Void> close() {
        if (!closed.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Listener l : listeners) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            l.channel().close().addListener(x -> f.complete(null));
            closing.add(f);
        }
        for (YamuxConnection c : new ArrayList<>(connections)) {
            closing.add(c.close());
        }
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
                .orTimeout(5, java.util.concurrent.TimeUnit.SECONDS)
                .handle((v, e) -> null)
                .thenCompose(v -> transport.closeAsync());
    }
}
