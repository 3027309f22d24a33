package io.omnipeer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cold start to first peer connected: from spawning {@code ./omnipeer daemon --bootstrap PEER} (a new JVM, a fresh
 * data dir: new identity and database) until the bootstrap peer (our perf server in its own process) reports the
 * inbound connection. Baseline: a js-libp2p node ({@code bench-node.mjs --bootstrap PEER}) the same way.
 * Writes {@code startup.csv}: who,run,ms.
 */
final class StartupBench {
    private final Launch launch;
    private final int runs;
    private final int variantRuns;

    /** @param runs starts of the launcher default and of js; {@code variantRuns} of each other JVM flag set */
    StartupBench(Launch launch, int runs, int variantRuns) {
        this.launch = launch;
        this.runs = runs;
        this.variantRuns = variantRuns;
    }

    void run(Path csvFile, List<DaemonVariant> variants) throws IOException, InterruptedException {
        Csv csv = new Csv("who", "run", "ms");
        try (ChildProcess peer = launch.start("bootstrap-peer", Impl.OURS.server(launch))) {
            String addr = peer.awaitEvent("ready", 0, ChildProcess.READY_TIMEOUT).get("addrs").get(0).asText();
            for (DaemonVariant v : variants) {
                // Two unreported starts first: the first writes the launcher's CDS archive as it exits, the second
                // publishes it (and every variant gets the same page cache warm-up).
                List<Double> ms = new ArrayList<>();
                int n = v == DaemonVariant.LAUNCHER ? runs : variantRuns;
                for (int i = -2; i < n; i++) {
                    Path dataDir = Files.createTempDirectory(launch.tmp(), "startup");
                    double t = timeToConnect(peer, v.command(launch, dataDir, "--listen", "/ip4/127.0.0.1/tcp/0",
                            "--no-mdns", "--bootstrap", addr), "daemon");
                    if (i >= 0) {
                        ms.add(t);
                        csv.add("omnipeer daemon: " + v.label(), i, t);
                    }
                }
                BenchMain.log("startup %s: %s ms", v.label(), Stats.of(ms));
                csv.write(csvFile);
            }
            List<Double> ms = new ArrayList<>();
            for (int i = -1; i < runs; i++) {
                double t = timeToConnect(peer, launch.js("bench-node.mjs", "--bootstrap", addr), "js-node");
                if (i >= 0) {
                    ms.add(t);
                    csv.add("js-libp2p node", i, t);
                }
            }
            BenchMain.log("startup js-libp2p: %s ms", Stats.of(ms));
        }
        csv.write(csvFile);
    }

    private double timeToConnect(ChildProcess peer, List<String> command, String name)
            throws IOException, InterruptedException {
        int mark = peer.mark();
        long start = System.nanoTime();
        ChildProcess p = launch.start(name, command);
        try {
            peer.awaitEvent("peer:connect", mark, Duration.ofSeconds(60));
            return (System.nanoTime() - start) / 1e6;
        } finally {
            p.terminate();
        }
    }
}
