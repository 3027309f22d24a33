package io.omnipeer.e2e.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * js-libp2p speaking {@code /perf/1.0.0} ({@code e2e-tests/js/perf.mjs}) in a child process: a server that runs
 * until {@link #close()}, and one-shot {@link #client} and {@link #connect} runs that return the lines js printed.
 * Calls are bounded by {@link #TIMEOUT}; a js-side failure throws {@link JsPeer.JsPeerException} with js's stderr.
 */
final class JsPerf implements AutoCloseable {
    /** Bound on start-up and on one client invocation. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final JsonNode ready;

    /** A js process and the file its stderr goes to (read back for error messages). */
    private record Child(Process process, Path stderr) {
        String stderrText() {
            try {
                String text = Files.readString(stderr);
                return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
            } catch (IOException e) {
                return "(stderr unreadable: " + e.getMessage() + ")";
            }
        }
    }

    private JsPerf(Process process, JsonNode ready) {
        this.process = process;
        this.ready = ready;
    }

    /** Starts {@code perf.mjs server} on 127.0.0.1 (random port) and waits for its ready line. */
    static JsPerf server() throws IOException {
        Child c = start(List.of("server"));
        String line = c.process().inputReader(StandardCharsets.UTF_8).readLine();
        if (line == null) {
            c.process().destroyForcibly();
            throw new JsPeer.JsPeerException("js perf server exited: " + c.stderrText());
        }
        return new JsPerf(c.process(), JSON.readTree(line));
    }

    PeerId peerId() {
        return PeerId.parse(ready.get("peerId").asText());
    }

    /** Listen address with /p2p/. */
    Multiaddr addr() {
        return Multiaddr.parse(ready.get("addrs").get(0).asText());
    }

    /**
     * js dials {@code addr} once and runs {@code runs} rounds of {@code streams} parallel perf streams, each uploading
     * {@code up} and downloading {@code down} bytes (js checks the count). Returns the {@code run} lines.
     */
    static List<JsonNode> client(Multiaddr addr, long up, long down, int streams, int runs) throws IOException {
        return runToEnd(List.of("client", "--addr", addr.toString(), "--upload", Long.toString(up), "--download",
                Long.toString(down), "--streams", Integer.toString(streams), "--runs", Integer.toString(runs)));
    }

    /** js opens {@code runs} new connections to {@code addr}, each with one 1-byte perf round trip. */
    static List<JsonNode> connect(Multiaddr addr, int runs) throws IOException {
        return runToEnd(List.of("connect", "--addr", addr.toString(), "--runs", Integer.toString(runs)));
    }

    private static List<JsonNode> runToEnd(List<String> args) throws IOException {
        Child c = start(args);
        Process p = c.process();
        p.getOutputStream().close();
        List<JsonNode> lines = new ArrayList<>();
        try (BufferedReader out = p.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(JSON.readTree(line));
            }
        }
        try {
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new JsPeer.JsPeerException("js perf " + args.get(0) + " did not finish within " + TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new JsPeer.JsPeerException("interrupted");
        }
        if (p.exitValue() != 0 || lines.isEmpty() || !"done".equals(lines.getLast().path("event").asText())) {
            throw new JsPeer.JsPeerException("js perf " + args.get(0) + " failed (exit " + p.exitValue() + "): "
                    + c.stderrText());
        }
        return lines.subList(0, lines.size() - 1);
    }

    private static Child start(List<String> args) throws IOException {
        Path js = JsPeer.jsDir();
        JsPeer.ensureInstalled(js);
        List<String> cmd = new ArrayList<>(List.of(JsPeer.nodeBinary(js).toString(), js.resolve("perf.mjs").toString()));
        cmd.addAll(args);
        Path err = Files.createTempFile("js-perf", ".stderr");
        err.toFile().deleteOnExit();
        return new Child(new ProcessBuilder(cmd).directory(js.toFile()).redirectError(err.toFile()).start(), err);
    }

    /** Stops the server (closing its stdin makes it exit; killed if it lingers). */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
