package io.omnipeer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.Methods;
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
 * (lightweight hosts in one other JVM, {@link SwarmMain}), and with 10 apps' worth of subscriptions: 10 pubsub
 * topics subscribed and 10 stream protocols handled ({@code streams.handle}) over one control connection that stays
 * open through the window (closing it would drop the handlers). Baseline: 10 separate js-libp2p nodes
 * ({@code bench-node.mjs}), each subscribing its own topic and handling its own protocol, with the same peers — one
 * node per app, the world without a shared client. Then the daemon's JVM flag candidates ({@link DaemonVariant}) in
 * the same 10-apps, 20-peer scenario and window.
 * Writes {@code footprint.csv}:
 * who,scenario,processes,peers,topics,protocols,rss_mib,pss_mib,max_rss_mib,cpu_pct,window_s.
 */
final class FootprintBench {
    static final int APPS = 10;
    private static final Pattern LISTENING = Pattern.compile("peer (\\S+) listening on \\[([^\\],]+)");

    private final Launch launch;
    private Path csvFile;
    private final Duration window;
    private final Duration variantWindow;
    private final Csv csv = new Csv("who", "scenario", "processes", "peers", "topics", "protocols", "rss_mib",
            "pss_mib", "max_rss_mib", "cpu_pct", "window_s");

    FootprintBench(Launch launch, Duration window, Duration variantWindow) {
        this.launch = launch;
        this.window = window;
        this.variantWindow = variantWindow;
    }

    /** Scenario label: {@code "20 peers"} or {@code "20 peers + 10 apps (10 topics + 10 protocols)"}. */
    static String scenario(int peers, int apps) {
        return peers + " peers" + (apps > 0 ? " + " + apps + " apps (" + apps + " topics + " + apps + " protocols)" : "");
    }

    static String protocol(int app) {
        return "/omnipeer-bench/app-" + app + "/1.0.0";
    }

    /**
     * @param peerCounts peers connected to the daemon in the plain scenarios (0, 20, 100)
     * @param appPeers   peers in the "10 apps" scenarios (daemon with 10 topics + 10 protocols; 10 js nodes with 1 + 1
     *                   each), also with 0 peers; the flag candidates run the {@code appPeers} one
     */
    void run(Path csvFile, int[] peerCounts, int appPeers, List<DaemonVariant> variants) throws Exception {
        this.csvFile = csvFile;
        scenario(this::warmUp);
        for (int peers : peerCounts) {
            scenario(() -> daemon(DaemonVariant.LAUNCHER, peers, 0, window));
        }
        scenario(() -> daemon(DaemonVariant.LAUNCHER, 0, APPS, window));
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

    /**
     * One unmeasured launcher start, so that the measured ones run with the AppCDS archive: a build changes the
     * archive's key, and the first start after it runs without one and writes it as it exits.
     */
    private void warmUp() throws Exception {
        Path dataDir = Files.createTempDirectory(launch.tmp(), "footprint");
        try (ChildProcess d = launch.start("daemon-warm-up", DaemonVariant.LAUNCHER.command(launch, dataDir,
                "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns"))) {
            d.awaitText("listening on", Duration.ofSeconds(60));
            d.terminate();
        }
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
            // One control connection for all 10 apps, open until the window ends: the daemon drops a connection's
            // handlers (and subscriptions) when it closes. No origin = a CLI caller, which may handle any protocol.
            try (ControlClient control = ControlClient.connect(dataDir.resolve("control.sock"))) {
                int topics = 0;
                int protocols = 0;
                for (int i = 0; i < apps; i++) {
                    control.call(Methods.PUBSUB_SUBSCRIBE, JsonRpcCodec.mapper().createObjectNode().put("topic", "app-" + i));
                    topics++;
                    String handler = control.call(Methods.STREAMS_HANDLE, JsonRpcCodec.mapper().createObjectNode()
                            .put("protocol", protocol(i))).path("handler").asText();
                    if (handler.isEmpty()) {
                        throw new IOException("streams.handle " + protocol(i) + " returned no handler id");
                    }
                    protocols++;
                }
                int connected = control.call(Methods.NODE_INFO, JsonRpcCodec.mapper().createObjectNode())
                        .path("connectedPeers").asInt();
                Thread.sleep(3000);
                ProcessFootprint.Sample s = ProcessFootprint.measure(List.of(d.pid()), w);
                String scenario = scenario(peers, apps);
                csv.add("omnipeer daemon: " + v.label(), scenario, 1, connected, topics, protocols, s.rssMiB(),
                        s.pssMiB(), s.maxRssMiB(), s.cpuPercent(), w.toSeconds());
                BenchMain.log("footprint daemon %s, %s (%d connected, %d topics, %d protocols): %s", v.label(), scenario,
                        connected, topics, protocols, s);
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
            int topics = 0;
            int protocols = 0;
            for (int i = 0; i < nodes.size(); i++) {
                JsonNode ready = nodes.get(i).awaitEvent("ready", 0, Duration.ofSeconds(90));
                addrs.add(ready.get("addrs").get(0).asText());
                // What the node itself reports: its pubsub topics and, of its handled protocols, the app's one.
                if (!ready.path("topics").toString().equals("[\"app-" + i + "\"]")
                        || !ready.path("appProtocols").toString().equals("[\"" + protocol(i) + "\"]")) {
                    throw new IOException("js node " + i + " does not have exactly its app's topic and protocol: " + ready);
                }
                topics += ready.path("topics").size();
                protocols += ready.path("appProtocols").size();
            }
            if (peers > 0) {
                swarm = swarm(peers, addrs);
            }
            Thread.sleep(3000);
            ProcessFootprint.Sample s = ProcessFootprint.measure(nodes.stream().map(ChildProcess::pid).toList(), window);
            String scenario = scenario(peers, APPS);
            csv.add("10 js-libp2p nodes (1 app each)", scenario, APPS, peers, topics, protocols, s.rssMiB(), s.pssMiB(),
                    s.maxRssMiB(), s.cpuPercent(), window.toSeconds());
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
