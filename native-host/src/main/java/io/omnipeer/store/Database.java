package io.omnipeer.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The daemon's SQLite database ({@code <data-dir>/omnipeer.db}) in WAL mode with synchronous=FULL, so a
 * committed transaction survives a crash and an interrupted one leaves nothing behind. The schema is
 * versioned: each migration runs once, in its own transaction, recorded in {@code schema_migrations}.
 *
 * <p>Thread-safety: one JDBC connection guarded by this object's monitor; callers use {@link #connection()}
 * inside {@code synchronized (database)} blocks.
 */
public final class Database implements AutoCloseable {
    /** How long a writer waits for another process's lock, in milliseconds (daemon and CLI may share the file). */
    private static final int BUSY_TIMEOUT_MILLIS = 5_000;

    /** Append-only: never edit a migration that has shipped. */
    private static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE grants (
              origin TEXT NOT NULL,
              capability TEXT NOT NULL,
              granted_at INTEGER NOT NULL,
              PRIMARY KEY (origin, capability)
            )""",
            """
            CREATE TABLE peers (
              peer_id TEXT PRIMARY KEY,
              addrs TEXT NOT NULL,
              protocols TEXT NOT NULL,
              agent_version TEXT,
              last_seen INTEGER NOT NULL
            )""",
            """
            CREATE TABLE settings (
              key TEXT PRIMARY KEY,
              value TEXT NOT NULL
            )""",
            "ALTER TABLE grants ADD COLUMN expires_at INTEGER",
            """
            CREATE TABLE apps (
              id TEXT PRIMARY KEY,
              signed_manifest TEXT NOT NULL,
              enabled INTEGER NOT NULL,
              installed_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL
            )""",
            """
            CREATE TABLE app_storage (
              namespace TEXT NOT NULL,
              key TEXT NOT NULL,
              value BLOB NOT NULL,
              PRIMARY KEY (namespace, key)
            )""");

    private final Connection connection;

    private Database(Connection connection) {
        this.connection = connection;
    }

    /**
     * Opens (creating if needed) the database and applies pending migrations.
     *
     * @throws IOException if the file cannot be opened or a migration fails (nothing is half-applied)
     */
    public static Database open(Path file) throws IOException {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MILLIS);
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
            }
            Database db = new Database(c);
            db.migrate();
            return db;
        } catch (SQLException e) {
            throw new IOException("cannot open database " + file + ": " + e.getMessage(), e);
        }
    }

    /** The JDBC connection; use it only while holding this object's monitor. */
    public Connection connection() {
        return connection;
    }

    private synchronized void migrate() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)");
        }
        int applied;
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) {
            applied = rs.getInt(1);
        }
        for (int version = applied + 1; version <= MIGRATIONS.size(); version++) {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement();
                 PreparedStatement mark = connection.prepareStatement("INSERT INTO schema_migrations VALUES (?)")) {
                s.execute(MIGRATIONS.get(version - 1));
                mark.setInt(1, version);
                mark.executeUpdate();
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing a connection that failed is not worth more than the original failure.
        }
    }
}
