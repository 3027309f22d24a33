package io.omnipeer.apps;

import io.omnipeer.rcmgr.ResourceLimitException;
import io.omnipeer.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-namespace key-value storage ({@code storage.*}, API.md "apps platform") in the {@code app_storage} table. A
 * namespace is an app id or a web origin's {@code web-<hash>} ({@code control.Namespaces}); nothing here crosses
 * namespaces. Usage = UTF-8 key bytes + value bytes; a put that would take the namespace past its quota throws
 * {@link ResourceLimitException} ({@code storage}) and keeps the earlier data (one SQLite transaction per put).
 * Thread-safe (serialised on the database).
 */
public final class AppStorage {
    /** Longest key, in characters (the extension caps keys the same way). */
    public static final int MAX_KEY_LENGTH = 512;
    /** Largest value, in bytes. */
    public static final int MAX_VALUE_BYTES = 1 << 20;
    /** Most keys one {@link #list} returns. */
    public static final int MAX_LIST_KEYS = 10_000;

    private final Database db;

    public AppStorage(Database db) {
        this.db = db;
    }

    /** The value under {@code key}. */
    public Optional<byte[]> get(String namespace, String key) {
        checkKey(key);
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT value FROM app_storage WHERE namespace = ? AND key = ?")) {
                s.setString(1, namespace);
                s.setString(2, key);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw failure("read storage", e);
            }
        }
    }

    /**
     * Stores {@code value} under {@code key}.
     *
     * @param quotaBytes the namespace's quota (key + value bytes)
     * @return the namespace's usage after the put, in bytes
     * @throws ResourceLimitException   when the put would exceed the quota (nothing changes)
     * @throws IllegalArgumentException for a bad key or an over-large value
     */
    public long put(String namespace, String key, byte[] value, long quotaBytes) {
        checkKey(key);
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("storage values are at most " + MAX_VALUE_BYTES + " bytes");
        }
        long size = key.getBytes(StandardCharsets.UTF_8).length + (long) value.length;
        synchronized (db) {
            Connection c = db.connection();
            try {
                c.setAutoCommit(false);
                long used = used(namespace);
                long old = 0;
                try (PreparedStatement s = c.prepareStatement(
                        "SELECT length(CAST(key AS BLOB)) + length(value) FROM app_storage WHERE namespace = ? AND key = ?")) {
                    s.setString(1, namespace);
                    s.setString(2, key);
                    try (ResultSet rs = s.executeQuery()) {
                        old = rs.next() ? rs.getLong(1) : 0;
                    }
                }
                long after = used - old + size;
                if (after > quotaBytes) {
                    c.rollback();
                    throw new ResourceLimitException("storage", namespace, used, quotaBytes, size - old);
                }
                try (PreparedStatement s = c.prepareStatement(
                        "INSERT INTO app_storage (namespace, key, value) VALUES (?, ?, ?) "
                                + "ON CONFLICT (namespace, key) DO UPDATE SET value = excluded.value")) {
                    s.setString(1, namespace);
                    s.setString(2, key);
                    s.setBytes(3, value);
                    s.executeUpdate();
                }
                c.commit();
                return after;
            } catch (SQLException e) {
                rollback(c);
                throw failure("write storage", e);
            } finally {
                autoCommit(c);
            }
        }
    }

    /** Deletes {@code key}; true when it existed. */
    public boolean delete(String namespace, String key) {
        checkKey(key);
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "DELETE FROM app_storage WHERE namespace = ? AND key = ?")) {
                s.setString(1, namespace);
                s.setString(2, key);
                return s.executeUpdate() > 0;
            } catch (SQLException e) {
                throw failure("delete from storage", e);
            }
        }
    }

    /** Keys starting with {@code prefix} (empty = all), sorted, at most {@link #MAX_LIST_KEYS}. */
    public List<String> list(String namespace, String prefix) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT key FROM app_storage WHERE namespace = ? AND substr(key, 1, ?) = ? ORDER BY key LIMIT ?")) {
                s.setString(1, namespace);
                s.setInt(2, prefix.length());
                s.setString(3, prefix);
                s.setInt(4, MAX_LIST_KEYS);
                List<String> out = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw failure("list storage", e);
            }
        }
    }

    /** Bytes the namespace uses (UTF-8 keys + values). */
    public long used(String namespace) {
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT COALESCE(SUM(length(CAST(key AS BLOB)) + length(value)), 0) FROM app_storage WHERE namespace = ?")) {
                s.setString(1, namespace);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.getLong(1);
                }
            } catch (SQLException e) {
                throw failure("size storage", e);
            }
        }
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("storage keys are 1.." + MAX_KEY_LENGTH + " characters without control characters");
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
            // Broken connection; the next statement reports it.
        }
    }

    private static UncheckedIOException failure(String what, SQLException e) {
        return new UncheckedIOException(new IOException("cannot " + what + ": " + e.getMessage(), e));
    }
}
