package io.omnipeer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Throughput with {@code /perf/1.0.0} (libp2p/specs perf/perf.md, "Single connection throughput"): upload and
 * download, 1 stream and 16 parallel streams on one connection, over TCP + Noise + yamux on loopback, server and
 * client in separate processes. Each round moves the same total bytes (split over the streams); the first round
 * of each cell is a warm-up and is not reported. Baselines in the same run: raw TCP (one TCP connection per
 * "stream") and js-libp2p; mixed pairs show interop and where the time goes.
 * Writes {@code throughput.csv}: pair,client,server,direction,streams,run,bytes,seconds,gbps.
 */
final class ThroughputBench {
    static final List<Impl.Pair> PAIRS = List.of(new Impl.Pair(Impl.RAW, Impl.RAW), new Impl.Pair(Impl.OURS, Impl.OURS),
            new Impl.Pair(Impl.JS, Impl.JS), new Impl.Pair(Impl.JS, Impl.OURS), new Impl.Pair(Impl.OURS, Impl.JS));
    static final Impl.Pair BEFORE = new Impl.Pair(Impl.BEFORE, Impl.BEFORE);

    /** The pairs of a run: with a baseline jar, our stack as it was joins right after ours. */
    static List<Impl.Pair> pairs(Launch launch) {
        List<Impl.Pair> all = new java.util.ArrayList<>(PAIRS);
        if (launch.hasBaseline()) {
            all.add(2, BEFORE);
        }
        all.removeIf(p -> !launch.wants(p.label()));
        return all;
    }
    static final int[] STREAMS = {1, 16};
    static final String[] DIRECTIONS = {"upload", "download"};

    private final Launch launch;
    private final long bytesPerRound;
    private final int runs;

    ThroughputBench(Launch launch, long bytesPerRound, int runs) {
        this.launch = launch;
        this.bytesPerRound = bytesPerRound;
        this.runs = runs;
    }

    void run(Path csvFile) throws IOException {
        Csv csv = new Csv("pair", "client", "server", "direction", "streams", "run", "bytes", "seconds", "gbps");
        for (Impl.Pair pair : pairs(launch)) {
            try {
                runPair(pair, csv);
            } catch (IOException e) {
                // A pair that fails (js refusing, a timeout) is logged and left out; the others still count.
                BenchMain.log("%s FAILED: %s", pair.label(), e.getMessage());
            }
            csv.write(csvFile); // after every pair, so a run cut short keeps what it measured
        }
        csv.write(csvFile);
    }

    private void runPair(Impl.Pair pair, Csv csv) throws IOException {
        try (ChildProcess server = launch.start("server-" + pair.server().name(), pair.server().server(launch))) {
            String addr = server.awaitEvent("ready", 0, ChildProcess.READY_TIMEOUT).get("addrs").get(0).asText();
            for (String direction : DIRECTIONS) {
                for (int k : STREAMS) {
                    long perStream = bytesPerRound / k;
                    List<String> args = List.of("--addr", addr, "--streams", Integer.toString(k), "--runs",
                            Integer.toString(runs), "--warmup", "1",
                            "--" + direction, Long.toString(perStream));
                    List<JsonNode> lines = launch.start("client-" + pair.client().name(),
                            pair.client().client(launch, "client", args)).runToEnd(Duration.ofMinutes(5));
                    for (JsonNode r : lines) {
                        long bytes = r.get("uploadBytes").asLong() + r.get("downloadBytes").asLong();
                        double seconds = r.get("seconds").asDouble();
                        double gbps = bytes * 8 / seconds / 1e9;
                        csv.add(pair.label(), pair.client().label, pair.server().label, direction, k,
                                r.get("run").asInt(), bytes, seconds, gbps);
                    }
                    BenchMain.log("throughput %s %s x%d: %s Gb/s", pair.label(), direction, k,
                            Stats.of(lines.stream().map(r -> (r.get("uploadBytes").asLong()
                                    + r.get("downloadBytes").asLong()) * 8 / r.get("seconds").asDouble() / 1e9).toList()));
                }
            }
        }
    }
}
