package io.omnipeer.store;

import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Peerstore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Persists the peerstore (addresses, protocols, agent version, last seen) in the {@code peers} table, so a
 * restarted daemon knows whom to reconnect to. Changes are coalesced and written in one transaction per
 * {@value #FLUSH_INTERVAL_MILLIS} ms on a background thread, never on a network event loop.
 *
 * <p>Bounded: at most {@value #MAX_PEERS} peers are kept (least recently seen dropped first) and at most
 * {@value #MAX_ADDRS_PER_PEER} addresses per peer. Rows that no longer parse are skipped on load.
 * Thread-safe.
 */
public final class PeerStoreDb implements AutoCloseable {
    static final long FLUSH_INTERVAL_MILLIS = 1_000;
    static final int MAX_PEERS = 10_000;
    static final int MAX_ADDRS_PER_PEER = 32;

    private static final Logger log = LoggerFactory.getLogger(PeerStoreDb.class);

    private final Database db;
    private final Set<PeerId> dirty = new LinkedHashSet<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "omnipeer-peerstore-writer");
        t.setDaemon(true);
        return t;
    });
    private Peerstore source;

    public PeerStoreDb(Database db) {
        this.db = db;
    }

    /** Copies every stored peer into {@code target}; returns how many were loaded. */
    public int loadInto(Peerstore target) {
        int loaded = 0;
        synchronized (db) {
            try (Statement s = db.connection().createStatement();
                 ResultSet rs = s.executeQuery("SELECT peer_id, addrs, protocols, agent_version FROM peers "
                         + "ORDER BY last_seen DESC LIMIT " + MAX_PEERS)) {
                while (rs.next()) {
                    try {
                        PeerId peer = PeerId.parse(rs.getString(1));
                        List<Multiaddr> addrs = new ArrayList<>();
                        for (String a : split(rs.getString(2))) {
                            addrs.add(Multiaddr.parse(a));
                        }
                        target.addAddresses(peer, addrs);
                        target.setProtocols(peer, split(rs.getString(3)));
                        if (rs.getString(4) != null) {
                            target.setAgentVersion(peer, rs.getString(4));
                        }
                        loaded++;
                    } catch (DecodingException | IllegalArgumentException e) {
                        log.warn("skipping unreadable peerstore row {}: {}", rs.getString(1), e.getMessage());
                    }
                }
            } catch (SQLException e) {
                log.warn("cannot load the peerstore: {}", e.getMessage());
            }
        }
        return loaded;
    }

    /** Starts writing every change of {@code store} (except about {@code self}) to the database. */
    public void persistFrom(Peerstore store, PeerId self) {
        this.source = store;
        store.addListener(peer -> {
            if (!peer.equals(self)) {
                synchronized (dirty) {
                    dirty.add(peer);
                }
            }
        });
        writer.scheduleWithFixedDelay(this::flush, FLUSH_INTERVAL_MILLIS, FLUSH_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Writes pending changes now (also called on close). */
    public void flush() {
        List<PeerId> batch;
        synchronized (dirty) {
            batch = new ArrayList<>(dirty);
            dirty.clear();
        }
        if (batch.isEmpty() || source == null) {
            return;
        }
        long now = System.currentTimeMillis();
        synchronized (db) {
            Connection c = db.connection();
            try {
                c.setAutoCommit(false);
                try (PreparedStatement upsert = c.prepareStatement(
                        "INSERT INTO peers (peer_id, addrs, protocols, agent_version, last_seen) VALUES (?, ?, ?, ?, ?) "
                                + "ON CONFLICT(peer_id) DO UPDATE SET addrs = excluded.addrs, protocols = excluded.protocols, "
                                + "agent_version = excluded.agent_version, last_seen = excluded.last_seen")) {
                    for (PeerId peer : batch) {
                        List<Multiaddr> addrs = source.addresses(peer);
                        if (addrs.isEmpty()) {
                            continue;
                        }
                        upsert.setString(1, peer.toBase58());
                        upsert.setString(2, join(addrs.stream().limit(MAX_ADDRS_PER_PEER).map(Multiaddr::toString).toList()));
                        upsert.setString(3, join(List.copyOf(source.protocols(peer))));
                        upsert.setString(4, source.agentVersion(peer).orElse(null));
                        upsert.setLong(5, now);
                        upsert.executeUpdate();
                    }
                }
                try (Statement trim = c.createStatement()) {
                    trim.executeUpdate("DELETE FROM peers WHERE peer_id NOT IN "
                            + "(SELECT peer_id FROM peers ORDER BY last_seen DESC LIMIT " + MAX_PEERS + ")");
                }
                c.commit();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // reported below
                }
                log.warn("cannot save {} peers: {}", batch.size(), e.getMessage());
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the next statement reports a broken connection
                }
            }
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }

    private static String join(List<String> values) {
        return String.join("\n", values);
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split("\n"));
    }
}
