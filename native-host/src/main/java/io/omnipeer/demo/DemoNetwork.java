package io.omnipeer.demo;

import io.omnipeer.control.ControlClient;
import io.omnipeer.control.DataDir;
import io.omnipeer.control.DaemonUnreachableException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Daemon processes for the demo: each is {@code omnipeer daemon} in its own data dir, started from the same
 * Java runtime and class path as this process, with its output in {@code <data-dir>/daemon.out}.
 */
final class DemoNetwork implements AutoCloseable {
    /** How long a daemon may take to open its control socket (JVM start included). */
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    record Daemon(String name, Path dataDir, Process process, ControlClient client) {
    }

    private final Path root;
    private final List<Daemon> daemons = new ArrayList<>();

    DemoNetwork(Path root) {
        this.root = root;
    }

    /**
     * Starts a daemon and waits until its control socket answers.
     *
     * @param args extra {@code daemon} options (listen, bootstrap, mDNS)
     * @throws IOException if it exits early or does not answer within {@link #START_TIMEOUT}
     */
    Daemon start(String name, List<String> args) throws IOException, InterruptedException {
        Path dataDir = Files.createDirectories(root.resolve(name));
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-cp", System.getProperty("java.class.path"),
                "io.omnipeer.cli.OmnipeerCommand", "daemon", "--data-dir", dataDir.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("daemon.out").toFile())
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("daemon " + name + " exited with " + process.exitValue() + "; see "
                        + dataDir.resolve("daemon.out"));
            }
            if (Files.exists(DataDir.controlSocket(dataDir))) {
                try {
                    Daemon daemon = new Daemon(name, dataDir, process, ControlClient.connect(DataDir.controlSocket(dataDir)));
                    daemons.add(daemon);
                    return daemon;
                } catch (DaemonUnreachableException e) {
                    // socket file exists but the server is not accepting yet
                }
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new IOException("daemon " + name + " did not open its control socket within " + START_TIMEOUT.toSeconds() + " s");
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Stops every daemon: SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        for (Daemon daemon : daemons) {
            daemon.client().close();
            daemon.process().destroy();
        }
        for (Daemon daemon : daemons) {
            try {
                if (!daemon.process().waitFor(10, TimeUnit.SECONDS)) {
                    daemon.process().destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                daemon.process().destroyForcibly();
            }
        }
    }
}
