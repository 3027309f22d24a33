package io.omnipeer.e2e.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.JsonRpcCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code omnipeer daemon} child process with its own data directory, listening on
 * 127.0.0.1 (random port), started through the repository's {@code ./omnipeer} launcher.
 *
 * <p>{@link #call} speaks the control protocol on {@code <data-dir>/control.sock} through
 * {@link ControlClient}, as the CLI does (no origin: privileged). {@link #cli} runs the CLI.
 * The daemon's output goes to {@code <data-dir>/../<name>-daemon.log}. Not thread-safe.
 */
public final class DaemonProcess implements AutoCloseable {

    /** Bound for the daemon to start, for one control call and for one CLI command. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Path log;
    private Process process;

    private DaemonProcess(Path dataDir, Path log) {
        this.dataDir = dataDir;
        this.log = log;
    }

    /** Starts a daemon on {@code dataDir} and waits until its control socket answers node.info. */
    public static DaemonProcess start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        DaemonProcess daemon = new DaemonProcess(dataDir, dataDir.resolveSibling(dataDir.getFileName() + "-daemon.log"));
        daemon.startProcess();
        return daemon;
    }

    private void startProcess() throws IOException {
        process = new ProcessBuilder(launcher().toString(), "daemon", "--data-dir", dataDir.toString(),
                "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        process.getOutputStream().close();
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("daemon exited with " + process.exitValue() + ": " + logTail());
            }
            return call("node.info", JsonRpcCodec.mapper().createObjectNode()).has("peerId");
        });
    }

    /** Stops the daemon (SIGTERM, then SIGKILL after a bound) and waits for it to exit. */
    public void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        process = null;
    }

    /** Kills the daemon with SIGKILL, as a crash would (no shutdown hook runs), and waits for it to exit. */
    public void kill() throws InterruptedException {
        if (process == null) return;
        process.destroyForcibly().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        process = null;
    }

    /** Starts the daemon again on the same data directory (same identity). */
    public void restart() throws IOException, InterruptedException {
        stop();
        startProcess();
    }

    /** Starts the daemon again after {@link #kill()} or {@link #stop()}. */
    public void startAgain() throws IOException {
        if (process != null) {
            throw new IllegalStateException("daemon still running");
        }
        startProcess();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** This node's peer ID (base58). */
    public String peerId() throws IOException {
        return call("node.info", JsonRpcCodec.mapper().createObjectNode()).get("peerId").asText();
    }

    /** The first listen address with {@code /p2p/<peer ID>} appended, for {@code omnipeer connect}. */
    public String dialAddress() throws IOException {
        JsonNode info = call("node.info", JsonRpcCodec.mapper().createObjectNode());
        String addr = info.get("listenAddrs").get(0).asText();
        return addr.contains("/p2p/") ? addr : addr + "/p2p/" + info.get("peerId").asText();
    }

    /** Connected peer count from node.info. */
    public int connectedPeers() throws IOException {
        return call("node.info", JsonRpcCodec.mapper().createObjectNode()).get("connectedPeers").asInt();
    }

    /**
     * One privileged control request (no origin, like the CLI) on a fresh control connection.
     *
     * @return the result object
     * @throws IOException when the daemon is unreachable
     * @throws io.omnipeer.protocol.control.RpcException for an error response
     */
    public JsonNode call(String method, ObjectNode params) throws IOException {
        try (ControlClient client = ControlClient.connect(dataDir.resolve("control.sock"))) {
            return client.call(method, params);
        }
    }

    /** Runs {@code ./omnipeer <args> --data-dir <dir>}; returns stdout+stderr, throws on a non-zero exit. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher().toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--data-dir", dataDir.toString()));
        CommandRun run = CommandRun.run(dataDir, command, TIMEOUT);
        if (run.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + run.exitCode() + ": " + run.output());
        }
        return run.output();
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static Path launcher() {
        return OmnipeerExtension.repoRoot().resolve("omnipeer");
    }

    /** The launcher exists (the daemon, CLI and shim are built by it). */
    public static boolean available() {
        return Files.isExecutable(launcher());
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
