package io.omnipeer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Connection setup: per run a new TCP connection, multistream-select, Noise XX, yamux, then one perf stream with a
 * 1-byte upload and a 1-byte download (the "one 1-byte round trip"), timed on the client from dial to the last
 * byte; then hang up. Raw TCP (connect + the same 1-byte exchange) is the floor. Warm-up runs are not reported.
 * Writes {@code connect.csv}: pair,client,server,run,ms.
 */
final class ConnectBench {
    private final Launch launch;
    private final int runs;
    private final int warmup;

    ConnectBench(Launch launch, int runs, int warmup) {
        this.launch = launch;
        this.runs = runs;
        this.warmup = warmup;
    }

    void run(Path csvFile) throws IOException {
        Csv csv = new Csv("pair", "client", "server", "run", "ms");
        for (Impl.Pair pair : ThroughputBench.pairs(launch)) {
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
            List<JsonNode> lines = launch.start("connect-" + pair.client().name(), pair.client().client(launch,
                    "connect", List.of("--addr", addr, "--runs", Integer.toString(runs), "--warmup",
                            Integer.toString(warmup)))).runToEnd(Duration.ofMinutes(5));
            for (JsonNode r : lines) {
                csv.add(pair.label(), pair.client().label, pair.server().label, r.get("run").asInt(),
                        r.get("ms").asDouble());
            }
            BenchMain.log("connect %s: %s ms", pair.label(),
                    Stats.of(lines.stream().map(r -> r.get("ms").asDouble()).toList()));
        }
    }
}
