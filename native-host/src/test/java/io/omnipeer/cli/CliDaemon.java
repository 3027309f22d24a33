package io.omnipeer.cli;

import io.omnipeer.control.Daemon;
import io.omnipeer.control.DataDir;
import io.omnipeer.control.TestNodes;
import io.omnipeer.node.Node;
import io.omnipeer.store.Database;
import io.omnipeer.store.GrantStore;

import java.nio.file.Path;

/**
 * A daemon on a real control socket over the in-memory test node, for CLI tests: the socket and the database are real,
 * the overlay node is {@link TestNodes}' double. Not thread-safe; one per test.
 */
final class CliDaemon implements AutoCloseable {
    private final Path dataDir;
    private final Database db;
    private final Node node;
    private final Daemon daemon;

    private CliDaemon(Path dataDir, Database db, Node node, Daemon daemon) {
        this.dataDir = dataDir;
        this.db = db;
        this.node = node;
        this.daemon = daemon;
    }

    /** Opens the database in {@code dataDir} and starts the daemon's control socket there. */
    static CliDaemon start(Path dataDir) throws Exception {
        Database db = Database.open(dataDir.resolve(DataDir.DATABASE));
        Node node = TestNodes.create();
        return new CliDaemon(dataDir, db, node, Daemon.start(dataDir, node, new GrantStore(db)));
    }

    /** Runs {@code omnipeer --data-dir <this daemon's dir> ARGS...}. */
    CliRun run(String... args) {
        return CliRun.in(dataDir, args);
    }

    Node node() {
        return node;
    }

    /** Stops the control socket (the CLI then sees "daemon not running"); the database stays open until {@link #close}. */
    void stopDaemon() {
        daemon.close();
    }

    @Override
    public void close() {
        daemon.close();
        db.close();
    }
}
