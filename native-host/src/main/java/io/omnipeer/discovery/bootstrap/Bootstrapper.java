package io.omnipeer.discovery.bootstrap;

import io.omnipeer.core.Connection;
import io.omnipeer.core.ConnectionListener;
import io.omnipeer.core.Host;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the node connected to the network through a set of dial targets: the bootstrap list (DNS names
 * resolved first, then literal multiaddrs), peers found by mDNS and peers remembered from the last run. A target
 * is dialed at once and redialed with exponential backoff after a failure. Once connected, a target whose
 * connection drops is redialed only while the node has fewer than {@link #MIN_CONNECTIONS} connections (also
 * checked every {@link #ISOLATION_CHECK_MILLIS}): the connection manager trims connections on purpose, and a
 * redial would undo every trim (every node bootstrapping from one seed kept that seed at hundreds of
 * connections). Targets with a bounded number of attempts are forgotten after that many failures in a row.
 *
 * <p>Thread-safe. Dials run on the host's event loops; scheduling on one daemon thread.
 */
public final class Bootstrapper implements AutoCloseable {
    /** First redial delay, in milliseconds. */
    static final long BASE_BACKOFF_MILLIS = 1_000;
    /** Longest redial delay, in milliseconds. */
    static final long MAX_BACKOFF_MILLIS = 60_000;
    /** Most targets kept; further ones are ignored (a LAN full of mDNS announcements cannot grow it unbounded). */
    static final int MAX_TARGETS = 512;
    /** Attempts for peers remembered from an earlier run or found by discovery before they are dropped. */
    public static final int DISCOVERED_PEER_ATTEMPTS = 8;
    /** Below this many open connections the node counts as isolated and redials its targets (go-libp2p bootstrap MinPeerThreshold). */
    public static final int MIN_CONNECTIONS = 4;
    /** How often an isolated node redials its targets, ms. */
    static final long ISOLATION_CHECK_MILLIS = 30_000;

    private static final Logger log = LoggerFactory.getLogger(Bootstrapper.class);

    private final Host host;
    private final Map<String, Target> targets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "omnipeer-bootstrap");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public Bootstrapper(Host host) {
        this.host = host;
        scheduler.scheduleWithFixedDelay(this::redialIfIsolated, ISOLATION_CHECK_MILLIS, ISOLATION_CHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void onConnected(Connection connection) {
            }

            @Override
            public void onDisconnected(Connection connection) {
                redialAfterDrop(connection.remotePeer());
            }
        });
    }

    /**
     * Adds a target and dials it now.
     *
     * @param addr        a dialable multiaddr, with or without {@code /p2p/<peer ID>}; DNS names allowed
     * @param maxAttempts consecutive failures after which the target is dropped; 0 for never
     */
    public void addTarget(Multiaddr addr, int maxAttempts) {
        if (closed || targets.size() >= MAX_TARGETS) {
            return;
        }
        Optional<PeerId> peer = addr.peerId();
        if (peer.isPresent() && peer.get().equals(host.peerId())) {
            return;
        }
        Target target = new Target(addr, maxAttempts);
        if (targets.putIfAbsent(addr.toString(), target) == null) {
            scheduler.execute(() -> dial(target));
        }
    }

    /** The targets currently kept, as given. */
    public List<Multiaddr> targets() {
        List<Multiaddr> out = new ArrayList<>();
        targets.values().forEach(t -> out.add(t.addr));
        return out;
    }

    private void dial(Target target) {
        if (closed || targets.get(target.addr.toString()) != target) {
            return;
        }
        if (target.peer != null && host.connection(target.peer).isPresent()) {
            return;
        }
        List<Multiaddr> resolved;
        try {
            resolved = DnsMultiaddrResolver.resolve(target.addr);
        } catch (Exception e) {
            log.info("cannot resolve {}: {}", target.addr, e.getMessage());
            retryLater(target);
            return;
        }
        dialFirst(target, resolved, 0);
    }

    private void dialFirst(Target target, List<Multiaddr> candidates, int index) {
        if (index >= candidates.size()) {
            retryLater(target);
            return;
        }
        Multiaddr addr = candidates.get(index);
        host.dial(addr).whenComplete((connection, error) -> {
            if (error == null) {
                synchronized (target) {
                    target.peer = connection.remotePeer();
                    target.backoff.reset();
                }
                log.debug("connected to {} via {}", connection.remotePeer(), addr);
            } else {
                log.debug("dial {} failed: {}", addr, error.toString());
                dialFirst(target, candidates, index + 1);
            }
        });
    }

    private void retryLater(Target target) {
        long delay;
        synchronized (target) {
            delay = target.backoff.nextDelayMillis();
            if (target.maxAttempts > 0 && target.backoff.failures() >= target.maxAttempts) {
                targets.remove(target.addr.toString(), target);
                log.info("giving up on {} after {} attempts", target.addr, target.maxAttempts);
                return;
            }
        }
        if (!closed) {
            scheduler.schedule(() -> dial(target), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void redialAfterDrop(PeerId peer) {
        if (closed || host.connection(peer).isPresent() || host.connections().size() >= MIN_CONNECTIONS) {
            return;
        }
        for (Target target : targets.values()) {
            if (peer.equals(target.peer) || target.addr.peerId().map(peer::equals).orElse(false)) {
                retryLater(target);
            }
        }
    }

    private void redialIfIsolated() {
        if (closed || host.connections().size() >= MIN_CONNECTIONS) {
            return;
        }
        for (Target target : targets.values()) {
            dial(target); // skips targets already connected
        }
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
    }

    private static final class Target {
        final Multiaddr addr;
        final int maxAttempts;
        final Backoff backoff = new Backoff(BASE_BACKOFF_MILLIS, MAX_BACKOFF_MILLIS);
        PeerId peer;

        Target(Multiaddr addr, int maxAttempts) {
            this.addr = addr;
            this.maxAttempts = maxAttempts;
            this.peer = addr.peerId().orElse(null);
        }
    }
}
