package io.omnipeer.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The grant store: which origin holds which capability, since when. The daemon's single source of
 * truth for the extension, the popup and the CLI. A grant names exactly one capability string
 * (e.g. {@code pubsub:chat}); there are no wildcards, so a grant gives only what it names.
 *
 * <p>Thread-safe. Listeners are told the origin whose grants changed, after the change is committed.
 */
public final class GrantStore {
    /**
     * One stored grant; {@code grantedAt} and {@code expiresAt} in milliseconds since the epoch, {@code expiresAt}
     * null = until revoked. Expired grants are never returned nor granted.
     */
    public record Grant(String origin, String capability, long grantedAt, Long expiresAt) {
        public Grant(String origin, String capability, long grantedAt) {
            this(origin, capability, grantedAt, null);
        }
    }

    /** Longest origin or capability accepted, in characters. */
    public static final int MAX_FIELD_LENGTH = 512;
    /** Most grants one origin may hold. */
    public static final int MAX_GRANTS_PER_ORIGIN = 256;

    /** SQL condition: the grant has not expired (bound to the current time as the last parameter). */
    private static final String LIVE = "(expires_at IS NULL OR expires_at > ?)";

    private final Database db;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public GrantStore(Database db) {
        this.db = db;
    }

    /** The database this store lives in (shared with the app store). */
    public Database database() {
        return db;
    }

    /** Called with the origin after its grants were added or revoked. */
    public void addListener(Consumer<String> onOriginChanged) {
        listeners.add(onOriginChanged);
    }

    /**
     * Grants each capability to the origin (already held ones keep their first grant time).
     *
     * @return the origin's grants after the change
     * @throws IllegalArgumentException for an empty or over-long origin or capability, or too many grants
     */
    public List<Grant> add(String origin, Collection<String> capabilities) {
        return add(origin, capabilities, null);
    }

    /**
     * As {@link #add(String, Collection)}, the grants expiring at {@code expiresAt} (epoch ms; null = until revoked).
     * Re-granting a held capability updates its expiry (an unlimited grant stays unlimited only if re-granted so).
     */
    public List<Grant> add(String origin, Collection<String> capabilities, Long expiresAt) {
        check(origin);
        capabilities.forEach(GrantStore::check);
        long now = System.currentTimeMillis();
        synchronized (db) {
            Connection c = db.connection();
            try {
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO grants (origin, capability, granted_at, expires_at) VALUES (?, ?, ?, ?) "
                                + "ON CONFLICT (origin, capability) DO UPDATE SET expires_at = excluded.expires_at, "
                                + "granted_at = CASE WHEN grants.expires_at IS NOT NULL AND grants.expires_at <= ? "
                                + "THEN excluded.granted_at ELSE grants.granted_at END")) {
                    for (String capability : capabilities) {
                        insert.setString(1, origin);
                        insert.setString(2, capability);
                        insert.setLong(3, now);
                        if (expiresAt == null) {
                            insert.setNull(4, java.sql.Types.INTEGER);
                        } else {
                            insert.setLong(4, expiresAt);
                        }
                        insert.setLong(5, now);
                        insert.executeUpdate();
                    }
                }
                if (list(origin).size() > MAX_GRANTS_PER_ORIGIN) {
                    c.rollback();
                    throw new IllegalArgumentException(origin + " would hold more than " + MAX_GRANTS_PER_ORIGIN + " grants");
                }
                c.commit();
            } catch (SQLException e) {
                rollback(c);
                throw failure("add grants", e);
            } finally {
                autoCommit(c);
            }
        }
        listeners.forEach(l -> l.accept(origin));
        return list(origin);
    }

    /**
     * Revokes one capability of the origin, or all of them when {@code capability} is null.
     *
     * @return how many grants were removed
     */
    public int revoke(String origin, String capability) {
        int removed;
        synchronized (db) {
            try (PreparedStatement delete = capability == null
                    ? db.connection().prepareStatement("DELETE FROM grants WHERE origin = ?")
                    : db.connection().prepareStatement("DELETE FROM grants WHERE origin = ? AND capability = ?")) {
                delete.setString(1, origin);
                if (capability != null) {
                    delete.setString(2, capability);
                }
                removed = delete.executeUpdate();
            } catch (SQLException e) {
                throw failure("revoke grants", e);
            }
        }
        if (removed > 0) {
            listeners.forEach(l -> l.accept(origin));
        }
        return removed;
    }

    /** True when the origin holds exactly this capability. */
    public boolean isGranted(String origin, String capability) {
        return query("SELECT 1 FROM grants WHERE origin = ? AND capability = ? AND " + LIVE, origin, capability).size() > 0;
    }

    /** True when the origin holds any grant at all (it was connected by the user). */
    public boolean hasAnyGrant(String origin) {
        return !list(origin).isEmpty();
    }

    /** The origin's grants, oldest first. */
    public List<Grant> list(String origin) {
        return query("SELECT origin, capability, granted_at, expires_at FROM grants WHERE origin = ? AND " + LIVE
                + " ORDER BY granted_at, capability", origin);
    }

    /** Every grant, by origin then age. */
    public List<Grant> listAll() {
        return query("SELECT origin, capability, granted_at, expires_at FROM grants WHERE " + LIVE
                + " ORDER BY origin, granted_at, capability");
    }

    private List<Grant> query(String sql, String... args) {
        synchronized (db) {
            try (PreparedStatement select = db.connection().prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    select.setString(i + 1, args[i]);
                }
                select.setLong(args.length + 1, System.currentTimeMillis());
                List<Grant> out = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getMetaData().getColumnCount() == 1
                                ? new Grant(args[0], args.length > 1 ? args[1] : "", 0)
                                : new Grant(rs.getString(1), rs.getString(2), rs.getLong(3),
                                        rs.getObject(4) == null ? null : rs.getLong(4)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw failure("read grants", e);
            }
        }
    }

    private static void check(String field) {
        if (field == null || field.isBlank() || field.length() > MAX_FIELD_LENGTH) {
            throw new IllegalArgumentException("origin and capability must be 1.." + MAX_FIELD_LENGTH + " characters");
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // The original failure is reported.
        }
    }

    private static void autoCommit(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // The connection is broken; the next statement reports it.
        }
    }

    private static UncheckedIOException failure(String what, SQLException e) {
        return new UncheckedIOException(new IOException("cannot " + what + ": " + e.getMessage(), e));
    }
}
