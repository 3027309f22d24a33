package io.omnipeer.e2e.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.control.DaemonUnreachableException;
import io.omnipeer.control.DataDir;
import io.omnipeer.protocol.control.Methods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code ./omnipeer daemon} process (the repo's launcher script) in its own data dir, with a
 * control-socket client. Output goes to {@code <data-dir>/daemon.out}.
 */
public final class DaemonProcess implements AutoCloseable {
    /** JVM start to control socket, bounded. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Process process;
    private final ControlClient client;

    private DaemonProcess(Path dataDir, Process process, ControlClient client) {
        this.dataDir = dataDir;
        this.process = process;
        this.client = client;
    }

    /** The repository root (set by Maven as {@code omnipeer.repoRoot}). */
    public static Path repoRoot() {
        return Path.of(System.getProperty("omnipeer.repoRoot", "..")).toAbsolutePath().normalize();
    }

    /**
     * Starts {@code omnipeer daemon --data-dir dataDir --listen /ip4/127.0.0.1/tcp/0 --no-mdns <extra>} and waits
     * for its control socket.
     */
    public static DaemonProcess start(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(List.of(repoRoot().resolve("omnipeer").toString(), "daemon",
                "--data-dir", dataDir.toString(), "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns"));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("daemon.out").toFile())).start();
        Path socket = DataDir.controlSocket(dataDir);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("daemon exited with " + process.exitValue() + ": "
                        + Files.readString(dataDir.resolve("daemon.out")));
            }
            if (Files.exists(socket)) {
                try {
                    ControlClient client = ControlClient.connect(socket);
                    client.call(Methods.NODE_INFO, params());
                    return new DaemonProcess(dataDir, process, client);
                } catch (DaemonUnreachableException e) {
                    // a stale socket from a killed daemon, or the server is not accepting yet
                }
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IOException("daemon did not answer on " + socket + " within " + START_TIMEOUT.toSeconds() + " s");
    }

    public static ObjectNode params(String... keyValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            node.put(keyValues[i], keyValues[i + 1]);
        }
        return node;
    }

    public JsonNode call(String method, ObjectNode params) {
        return client.call(method, params);
    }

    public JsonNode info() {
        return call(Methods.NODE_INFO, params());
    }

    public String peerId() {
        return info().path("peerId").asText();
    }

    /** The first listen address with {@code /p2p/<peer ID>}. */
    public String dialableAddress() {
        JsonNode info = info();
        return info.path("listenAddrs").get(0).asText() + "/p2p/" + info.path("peerId").asText();
    }

    public List<String> connectedPeerIds() {
        List<String> out = new ArrayList<>();
        call(Methods.PEERS_LIST, params()).path("peers").forEach(p -> out.add(p.path("peerId").asText()));
        return out;
    }

    public Path dataDir() {
        return dataDir;
    }

    public ControlClient client() {
        return client;
    }

    /** SIGKILL, as a crash would: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        client.close();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        client.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
