package io.omnipeer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU cost of the send + receive path (Noise + yamux framing, no sockets) per MiB of payload, from
 * {@link SendPathMain} run once on our classpath and, with {@code --baseline-jar}, once on the earlier commit's:
 * the before/after of this round's send-path changes, measured as thread CPU time so other sessions' load on the
 * machine does not blur it. Writes {@code sendpath.csv}: impl,scenario,run,cpuNsPerMiB,wireBuffersPerFrame,
 * wireBytesPerFrame,frameBytes.
 */
final class SendPathBench {
    static final String AFTER = "omnipeer";
    static final String BEFORE = "omnipeer-before";

    private final Launch launch;
    private final long bytes;
    private final int runs;

    SendPathBench(Launch launch, long bytes, int runs) {
        this.launch = launch;
        this.bytes = bytes;
        this.runs = runs;
    }

    void run(Path csvFile) throws IOException {
        Csv csv = new Csv("impl", "scenario", "run", "cpuNsPerMiB", "wireBuffersPerFrame", "wireBytesPerFrame", "frameBytes");
        String[] args = {"--bytes", Long.toString(bytes), "--runs", Integer.toString(runs)};
        List<String[]> impls = new ArrayList<>();
        impls.add(new String[] {AFTER});
        if (launch.hasBaseline()) {
            impls.add(new String[] {BEFORE});
        }
        for (String[] impl : impls) {
            List<String> cmd = impl[0].equals(AFTER)
                    ? launch.java("SendPathMain", List.of(), args)
                    : launch.baselineJava("SendPathMain", args);
            for (JsonNode r : launch.start("sendpath-" + impl[0], cmd).runToEnd(Duration.ofMinutes(10))) {
                if (!"sendpath".equals(r.path("event").asText())) {
                    continue;
                }
                csv.add(impl[0], r.get("scenario").asText(), r.get("run").asInt(), r.get("cpuNsPerMiB").asDouble(),
                        r.get("wireBuffersPerFrame").asDouble(), r.get("wireBytesPerFrame").asDouble(),
                        r.get("frameBytes").asInt());
            }
            csv.write(csvFile);
            BenchMain.log("sendpath %s done", impl[0]);
        }
        csv.write(csvFile);
    }
}
