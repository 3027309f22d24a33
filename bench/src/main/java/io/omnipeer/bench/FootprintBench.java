package io.omnipeer.bench;

import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.JsonRpcCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Footprint of the always-on daemon while idle: Rss/Pss and CPU% over a window, with 0, 20 and 100 connected peers
 * (lightweight hosts in one other JVM, {@link SwarmMain}), and with 10 apps' worth of work registered over the control
 * socket: 10 pubsub topics subscribed and 10 stream protocols handled. Baseline: 10 separate js-libp2p nodes
 * ({@code bench-node.mjs}), each with its own topic and protocol and the same 20 peers — one node per app, the world
 * without a shared client. Then the daemon's JVM flag candidates ({@link DaemonVariant}) in the 20-peer, 10-app case.
 * Writes {@code footprint.csv}: who,scenario,processes,peers,topics,rss_mib,pss_mib,max_rss_mib,cpu_pct,window_s,
 * protocols.
 */
final class FootprintBench {
    static final int APPS = 10;
    private static final Pattern LISTENING = Pattern.compile("peer (\\S+) listening on \\[([^\\],]+)");

    private final Launch launch;
    private Path csvFile;
    private final Duration window;
    private final Duration variantWindow;
    private final Csv csv = new Csv("who", "scenario", "processes", "peers", "topics", "rss_mib", "pss_mib",
            "max_rss_mib", "cpu_pct", "window_s", "protocols");

    FootprintBench(Launch launch, Duration window, Duration variantWindow) {
        this.launch = launch;
        this.window = window;
        this.variantWindow = variantWindow;
    }

    /**
     * @param peerCounts peers connected to the daemon in the plain scenarios (0, 20, 100)
     * @param appPeers   peers in the "10 apps" scenarios (daemon with 10 topics; 10 js nodes) and the flag runs
     */
    void run(Path csvFile, int[] peerCounts, int appPeers, List<DaemonVariant> variants) throws Exception {
        this.csvFile = csvFile;
        for (int peers : peerCounts) {
            scenario(() -> daemon(DaemonVariant.LAUNCHER, peers, 0, window));
        }
        scenario(() -> daemon(DaemonVariant.LAUNCHER, appPeers, APPS, window));
        scenario(() -> jsNodes(0));
        scenario(() -> jsNodes(appPeers));
        for (DaemonVariant v : variants) {
            if (v != DaemonVariant.LAUNCHER) {
                scenario(() -> daemon(v, appPeers, APPS, variantWindow));
            }
        }
        csv.write(csvFile);
    }

    private interface Scenario {
        void run() throws Exception;
    }

    /** Runs one scenario; a failure is logged and the next scenario still runs. */
    private static void scenario(Scenario s) {
        try {
            s.run();
        } catch (Exception e) {
            BenchMain.log("footprint scenario FAILED: %s", e);
        }
    }

    /** The scenario label: peers, plus the apps' topics and protocols when there are apps. */
    static String scenario(int peers, int apps) {
        return peers + " peers" + (apps > 0 ? " + " + apps + " apps (" + apps + " topics, " + apps + " protocols)" : "");
    }

    /** The stream protocol app {@code i} registers (daemon) or handles (js node). */
    static String protocol(int i) {
        return "/omnipeer-bench/app-" + i + "/1.0.0";
    }

    private void daemon(DaemonVariant v, int peers, int apps, Duration w) throws Exception {
        Path dataDir = Files.createTempDirectory(launch.tmp(), "footprint");
        try (ChildProcess d = launch.start("daemon", v.command(launch, dataDir, "--listen", "/ip4/127.0.0.1/tcp/0",
                "--no-mdns"))) {
            Matcher m = LISTENING.matcher(d.awaitText("listening on", Duration.ofSeconds(60)));
            if (!m.find()) {
                throw new IOException("cannot parse the daemon's listen line");
            }
            String addr = m.group(2).trim() + "/p2p/" + m.group(1);
            ChildProcess swarm = peers == 0 ? null : swarm(peers, List.of(addr));
            try (ControlClient control = ControlClient.connect(dataDir.resolve("control.sock"))) {
                for (int i = 0; i < apps; i++) {
                    control.call("pubsub.subscribe", JsonRpcCodec.mapper().createObjectNode().put("topic", "app-" + i));
                    control.call("streams.handle", JsonRpcCodec.mapper().createObjectNode().put("protocol", protocol(i)));
                }
                int connected = control.call("node.info", JsonRpcCodec.mapper().createObjectNode())
                        .path("connectedPeers").asInt();
                Thread.sleep(3000);
                ProcessFootprint.Sample s = ProcessFootprint.measure(List.of(d.pid()), w);
                String scenario = scenario(peers, apps);
                csv.add("omnipeer daemon: " + v.label(), scenario, 1, connected, apps, s.rssMiB(), s.pssMiB(),
                        s.maxRssMiB(), s.cpuPercent(), w.toSeconds(), apps);
                BenchMain.log("footprint daemon %s, %s (%d connected): %s", v.label(), scenario, connected, s);
                csv.write(csvFile);
            } finally {
                if (swarm != null) {
                    swarm.close();
                }
                d.terminate();
            }
        }
    }

    private void jsNodes(int peers) throws Exception {
        List<ChildProcess> nodes = new ArrayList<>();
        ChildProcess swarm = null;
        try {
            for (int i = 0; i < APPS; i++) {
                nodes.add(launch.start("js-app-" + i, launch.js("bench-node.mjs", "--topic", "app-" + i,
                        "--protocol", protocol(i))));
            }
            List<String> addrs = new ArrayList<>();
            for (ChildProcess n : nodes) {
                addrs.add(n.awaitEvent("ready", 0, Duration.ofSeconds(90)).get("addrs").get(0).asText());
            }
            if (peers > 0) {
                swarm = swarm(peers, addrs);
            }
            Thread.sleep(3000);
            ProcessFootprint.Sample s = ProcessFootprint.measure(nodes.stream().map(ChildProcess::pid).toList(), window);
            String scenario = scenario(peers, APPS);
            csv.add("10 js-libp2p nodes (1 app each)", scenario, APPS, peers, APPS, s.rssMiB(), s.pssMiB(),
                    s.maxRssMiB(), s.cpuPercent(), window.toSeconds(), APPS);
            BenchMain.log("footprint 10 js nodes, %s: %s", scenario, s);
            csv.write(csvFile);
        } finally {
            if (swarm != null) {
                swarm.close();
            }
            nodes.forEach(ChildProcess::close);
        }
    }

    private ChildProcess swarm(int peers, List<String> targets) throws IOException {
        List<String> args = new ArrayList<>(List.of("--peers", Integer.toString(peers)));
        targets.forEach(t -> args.addAll(List.of("--target", t)));
        ChildProcess swarm = launch.start("swarm", launch.java("SwarmMain", List.of("-Xmx1g", "-XX:+UseSerialGC"),
                args.toArray(String[]::new)));
        swarm.awaitEvent("ready", 0, Duration.ofMinutes(3));
        return swarm;
    }
}
