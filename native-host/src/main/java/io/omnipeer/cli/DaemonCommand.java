package io.omnipeer.cli;

import io.omnipeer.control.Daemon;
import io.omnipeer.control.DataDir;
import io.omnipeer.control.DataDirLock;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.node.NodeConfig;
import io.omnipeer.node.OverlayNode;
import io.omnipeer.store.Database;
import io.omnipeer.store.GrantStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code omnipeer daemon}: runs the overlay node and the control socket in the foreground until SIGINT/SIGTERM.
 * One daemon per data dir ({@link DataDirLock}); node and grant store share {@code <data-dir>/omnipeer.db}.
 */
@Command(name = "daemon", description = "Run the node and its control socket (foreground; Ctrl-C stops it).")
final class DaemonCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(DaemonCommand.class);
    /** Listen addresses when neither --listen nor $OMNIPEER_LISTEN (comma-separated) is given. */
    static final String DEFAULT_LISTEN = "/ip4/0.0.0.0/tcp/4001";
    /** Used when the default port is taken (another daemon on this machine): any free port. */
    static final String FALLBACK_LISTEN = "/ip4/0.0.0.0/tcp/0";
    public static final String LISTEN_ENV = "OMNIPEER_LISTEN";
    /** How long shutdown waits for the node to close its connections. */
    private static final long NODE_CLOSE_TIMEOUT_S = 5;

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", paramLabel = "MULTIADDR", description = "listen address, repeatable (default: "
            + DEFAULT_LISTEN + ", or $" + LISTEN_ENV + ")")
    List<String> listen = new ArrayList<>();

    @Option(names = "--bootstrap", paramLabel = "MULTIADDR", description = "peer to dial at start, repeatable")
    List<String> bootstrap = new ArrayList<>();

    @Option(names = "--dht-mode", paramLabel = "MODE", description = "Kademlia DHT mode: server (default; answers "
            + "/ipfs/kad/1.0.0), client (queries only) or auto (server when listening)")
    io.omnipeer.dht.DhtMode dhtMode = io.omnipeer.dht.DhtMode.SERVER;

    @Option(names = "--dht-alpha", paramLabel = "N", description = "DHT lookup concurrency per path (default 3)")
    int dhtAlpha = io.omnipeer.dht.LookupOptions.DEFAULT_ALPHA;

    @Option(names = "--dht-disjoint-paths", paramLabel = "D", description = "S/Kademlia disjoint lookup paths (default 1)")
    int dhtPaths = 1;

    @Option(names = "--conn-low", paramLabel = "N", description = "connection manager low watermark: a trim keeps "
            + "this many connections (default 32)")
    int connLow = io.omnipeer.connmgr.ConnectionLimits.DEFAULT.lowWater();

    @Option(names = "--conn-high", paramLabel = "N", description = "connection manager high watermark: above this "
            + "many connections the least valuable ones are closed down to --conn-low (default 96)")
    int connHigh = io.omnipeer.connmgr.ConnectionLimits.DEFAULT.highWater();

    @Option(names = "--conn-grace", paramLabel = "SECONDS", description = "new connections are never trimmed "
            + "before this age (default 20)")
    long connGraceSeconds = io.omnipeer.connmgr.ConnectionLimits.DEFAULT.gracePeriod().toSeconds();

    @Option(names = "--no-mdns", description = "disable LAN discovery")
    boolean noMdns;

    @Option(names = "--mdns-interface", paramLabel = "IF",
            description = "interface for mDNS (default: $" + OverlayNode.MDNS_INTERFACE_ENV + ", else the first LAN interface)")
    String mdnsInterface;

    @Override
    public Integer call() throws Exception {
        Path dataDir = DataDir.ensure(((OmnipeerCommand) spec.root().userObject()).dataDir());
        bootstrap.forEach(Multiaddr::parse); // fail fast on a typo, before anything starts
        connectionLimits(); // and on bad watermarks
        DataDirLock lock = DataDirLock.acquire(dataDir);
        Database db = null;
        OverlayNode node = null;
        try {
            db = Database.open(dataDir.resolve(DataDir.DATABASE));
            node = startNode(dataDir, db);
            Daemon daemon = Daemon.start(dataDir, node, new GrantStore(db));
            Runnable stop = stopper(daemon, node, db, lock);
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "daemon-shutdown"));
            spec.commandLine().getOut().println("omnipeer daemon: peer " + node.peerId() + " listening on "
                    + node.listenAddresses() + "; control socket " + daemon.socketFile());
            spec.commandLine().getOut().flush();
            daemon.awaitClose();
            stop.run();
            return 0;
        } catch (IOException | RuntimeException e) {
            if (node != null) {
                node.close();
            }
            if (db != null) {
                db.close();
            }
            lock.close();
            throw e;
        }
    }

    private OverlayNode startNode(Path dataDir, Database db) throws IOException {
        List<String> explicit = !listen.isEmpty() ? listen : fromEnv();
        List<String> addrs = explicit.isEmpty() ? List.of(DEFAULT_LISTEN) : explicit;
        try {
            return OverlayNode.start(config(dataDir, addrs), db);
        } catch (IOException e) {
            if (!explicit.isEmpty()) {
                throw e;
            }
            log.warn("{} ({}); listening on a free port instead", e.getMessage(), DEFAULT_LISTEN);
            return OverlayNode.start(config(dataDir, List.of(FALLBACK_LISTEN)), db);
        }
    }

    private NodeConfig config(Path dataDir, List<String> addrs) {
        io.omnipeer.dht.DhtConfig dht = io.omnipeer.dht.DhtConfig.defaults().withMode(dhtMode);
        dht = dht.withLookup(dht.lookup().withAlpha(dhtAlpha).withDisjointPaths(dhtPaths));
        return new NodeConfig(dataDir, addrs.stream().map(Multiaddr::parse).toList(), bootstrap, !noMdns,
                mdnsInterface, NodeConfig.DEFAULT_AGENT_VERSION, dht, connectionLimits());
    }

    private io.omnipeer.connmgr.ConnectionLimits connectionLimits() {
        try {
            return new io.omnipeer.connmgr.ConnectionLimits(connLow, connHigh,
                    java.time.Duration.ofSeconds(connGraceSeconds));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--conn-low/--conn-high/--conn-grace: "
                    + e.getMessage());
        }
    }

    private static List<String> fromEnv() {
        String env = System.getenv(LISTEN_ENV);
        return env == null || env.isBlank() ? List.of()
                : Arrays.stream(env.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Closes socket, node, database and lock once, in that order (from the shutdown hook or the main thread). */
    private static Runnable stopper(Daemon daemon, OverlayNode node, Database db, DataDirLock lock) {
        AtomicBoolean once = new AtomicBoolean();
        return () -> {
            if (!once.compareAndSet(false, true)) {
                return;
            }
            log.info("stopping");
            daemon.close();
            try {
                node.close().get(NODE_CLOSE_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("node did not close cleanly: {}", e.toString());
            }
            db.close();
            try {
                lock.close();
            } catch (IOException e) {
                log.debug("lock: {}", e.toString());
            }
        };
    }
}
