package io.omnipeer.store;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * User settings of the daemon as key/value text in the {@code settings} table (e.g. the global bandwidth limits,
 * {@link #BANDWIDTH_IN_KIBPS}). Thread-safe (through the {@link Database} monitor).
 */
public final class SettingsStore {
    /** Global inbound bandwidth limit in KiB/s, 0 = unlimited. */
    public static final String BANDWIDTH_IN_KIBPS = "bandwidth.in.kibps";
    /** Global outbound bandwidth limit in KiB/s, 0 = unlimited. */
    public static final String BANDWIDTH_OUT_KIBPS = "bandwidth.out.kibps";
    /** Longest key or value accepted, in characters. */
    public static final int MAX_LENGTH = 4096;

    private final Database db;

    public SettingsStore(Database db) {
        this.db = db;
    }

    /** The value of {@code key}, if set. @throws UncheckedIOException if the database fails */
    public Optional<String> get(String key) {
        synchronized (db) {
            try (PreparedStatement q = db.connection().prepareStatement("SELECT value FROM settings WHERE key = ?")) {
                q.setString(1, key);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new UncheckedIOException(new IOException("cannot read setting " + key + ": " + e.getMessage(), e));
            }
        }
    }

    /** The value of {@code key} as a long, or {@code fallback} when unset or not a number. */
    public long getLong(String key, long fallback) {
        try {
            return get(key).map(Long::parseLong).orElse(fallback);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /**
     * Sets several keys in one transaction (all or nothing).
     * @param keyValues key, value, key, value, ...
     * @throws IllegalArgumentException for an odd count, or an empty or over-long key or value
     * @throws UncheckedIOException     if the database fails
     */
    public void put(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must pair up");
        }
        for (String s : keyValues) {
            if (s == null || s.isEmpty() || s.length() > MAX_LENGTH) {
                throw new IllegalArgumentException("setting keys and values must be 1.." + MAX_LENGTH + " characters");
            }
        }
        synchronized (db) {
            Connection c = db.connection();
            try {
                c.setAutoCommit(false);
                try (PreparedStatement upsert = c.prepareStatement(
                        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
                    for (int i = 0; i < keyValues.length; i += 2) {
                        upsert.setString(1, keyValues[i]);
                        upsert.setString(2, keyValues[i + 1]);
                        upsert.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the original failure is what the caller needs
                }
                throw new UncheckedIOException(new IOException("cannot save settings: " + e.getMessage(), e));
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the connection is unusable anyway; the next call reports it
                }
            }
        }
    }
}
