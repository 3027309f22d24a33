package io.omnipeer.connmgr;

import io.omnipeer.core.Connection;
import io.omnipeer.core.ConnectionListener;
import io.omnipeer.core.Host;
import io.omnipeer.core.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a host's connection count between watermarks, after go-libp2p's {@code connmgr.BasicConnMgr}: when more
 * than {@link ConnectionLimits#highWater()} connections are open, it closes connections down to
 * {@link ConnectionLimits#lowWater()}, lowest peer value first (the sum of its tags), newest first among equals.
 * It never closes a connection younger than the grace period, nor one to a protected peer (a peer with at least
 * one protection tag from {@link #protect}, or in the set of a {@link #protectWhile} source at trim time).
 *
 * <p>A trim runs when a connection opens above high water and once a second (grace periods end). Thread-safe;
 * trims run on one daemon thread of this manager; listener calls never block.
 */
public final class ConnectionManager implements AutoCloseable {
    /** How often open connections are checked against the high watermark, ms. */
    static final long CHECK_INTERVAL_MILLIS = 1_000;
    /** Tags per peer, bounded so a buggy caller cannot grow the table without limit. */
    static final int MAX_TAGS_PER_PEER = 64;

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);

    private record Source(String tag, Supplier<? extends Collection<PeerId>> peers) {
    }

    private final Host host;
    private final ConnectionLimits limits;
    private final Map<Connection, Long> openedAt = new ConcurrentHashMap<>();
    private final Map<PeerId, Map<String, Integer>> tags = new ConcurrentHashMap<>();
    private final Map<PeerId, Set<String>> protections = new ConcurrentHashMap<>();
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final Set<Connection> trimmed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "connmgr");
        t.setDaemon(true);
        return t;
    });
    private volatile long trimmedTotal;

    /** As {@link #ConnectionManager(Host, ConnectionLimits)} with the three values. */
    public ConnectionManager(Host host, int lowWater, int highWater, Duration gracePeriod) {
        this(host, new ConnectionLimits(lowWater, highWater, gracePeriod));
    }

    /** Watches {@code host}'s connections from now on (connections already open count as new). */
    public ConnectionManager(Host host, ConnectionLimits limits) {
        this.host = host;
        this.limits = limits;
        long now = System.nanoTime();
        host.connections().forEach(c -> openedAt.put(c, now));
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void onConnected(Connection connection) {
                openedAt.put(connection, System.nanoTime());
                if (openedAt.size() > limits.highWater()) {
                    timer.execute(ConnectionManager.this::safeTrim);
                }
            }

            @Override
            public void onDisconnected(Connection connection) {
                openedAt.remove(connection);
                trimmed.remove(connection);
            }
        });
        timer.scheduleWithFixedDelay(this::safeTrim, CHECK_INTERVAL_MILLIS, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Marks {@code peer} as never to be trimmed while any tag protects it; idempotent. */
    public void protect(PeerId peer, String tag) {
        protections.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet()).add(tag);
    }

    /** Removes one protection tag; returns true if the peer is still protected by another tag. */
    public boolean unprotect(PeerId peer, String tag) {
        Set<String> left = protections.computeIfPresent(peer, (p, s) -> {
            s.remove(tag);
            return s.isEmpty() ? null : s;
        });
        return left != null;
    }

    /** True if a {@link #protect} tag covers {@code peer} (sources of {@link #protectWhile} not consulted). */
    public boolean isProtected(PeerId peer) {
        return protections.containsKey(peer);
    }

    /**
     * Protects, at every trim, the peers {@code peers} returns then (e.g. the gossipsub mesh). The supplier runs on
     * the manager's thread and must be quick and thread-safe.
     */
    public void protectWhile(String tag, Supplier<? extends Collection<PeerId>> peers) {
        sources.add(new Source(tag, peers));
    }

    /**
     * Sets {@code peer}'s value under {@code tag} (replacing an earlier value of the same tag); a peer's value is the
     * sum of its tags. Values are arbitrary ints; go-libp2p uses small ones (kad routing table 5).
     * @throws IllegalStateException if the peer already has {@link #MAX_TAGS_PER_PEER} other tags
     */
    public void tagPeer(PeerId peer, String tag, int value) {
        Map<String, Integer> t = tags.computeIfAbsent(peer, p -> new ConcurrentHashMap<>());
        if (!t.containsKey(tag) && t.size() >= MAX_TAGS_PER_PEER) {
            throw new IllegalStateException(peer + " has " + MAX_TAGS_PER_PEER + " tags already");
        }
        t.put(tag, value);
    }

    /** Removes one tag from {@code peer}. */
    public void untagPeer(PeerId peer, String tag) {
        tags.computeIfPresent(peer, (p, t) -> {
            t.remove(tag);
            return t.isEmpty() ? null : t;
        });
    }

    /** The sum of {@code peer}'s tag values (0 if untagged). */
    public int value(PeerId peer) {
        Map<String, Integer> t = tags.get(peer);
        return t == null ? 0 : t.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Connections closed by trims since this manager started. */
    public long trimmedConnections() {
        return trimmedTotal;
    }

    private void safeTrim() {
        try {
            trim();
        } catch (RuntimeException e) {
            LOG.warn("connection trim failed: {}", e.toString());
        }
    }

    /**
     * If more than high water connections are open, closes (asynchronously, yamux Go Away) the lowest-valued
     * unprotected connections past their grace period until low water would remain. Returns how many it closed.
     */
    public synchronized int trim() {
        List<Connection> open = host.connections().stream().filter(c -> !trimmed.contains(c)).toList();
        if (open.size() <= limits.highWater()) {
            return 0;
        }
        Set<PeerId> shielded = new HashSet<>(protections.keySet());
        for (Source s : sources) {
            shielded.addAll(s.peers().get());
        }
        long now = System.nanoTime();
        long grace = limits.gracePeriod().toNanos();
        List<Connection> candidates = new ArrayList<>();
        for (Connection c : open) {
            Long opened = openedAt.computeIfAbsent(c, x -> now);
            if (now - opened >= grace && !shielded.contains(c.remotePeer())) {
                candidates.add(c);
            }
        }
        candidates.sort(Comparator.<Connection>comparingInt(c -> value(c.remotePeer()))
                .thenComparing(c -> -openedAt.getOrDefault(c, now)));
        int excess = open.size() - limits.lowWater();
        int closed = 0;
        for (Connection c : candidates) {
            if (closed >= excess) {
                break;
            }
            trimmed.add(c);
            c.close();
            closed++;
        }
        trimmedTotal += closed;
        if (closed > 0) {
            LOG.debug("trimmed {} of {} connections (watermarks {}/{})", closed, open.size(), limits.lowWater(),
                    limits.highWater());
        }
        return closed;
    }

    /** Stops the periodic check; connections stay as they are. */
    @Override
    public void close() {
        timer.shutdownNow();
    }
}
