package io.omnipeer.bridge;

import io.omnipeer.control.DataDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code omnipeer daemon --data-dir <dir>} as a detached process: same Java runtime and class path as
 * this process, its own session ({@code setsid}) so the browser closing the shim's process group leaves it
 * running, stdin from /dev/null and stdout/stderr appended to {@code <data-dir>/daemon.log}.
 */
public final class DaemonLauncher {
    private static final Logger log = LoggerFactory.getLogger(DaemonLauncher.class);
    private static final String MAIN_CLASS = "io.omnipeer.cli.OmnipeerCommand";
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private DaemonLauncher() {
    }

    /** The command line that starts a daemon for {@code dataDir}. */
    public static List<String> command(Path dataDir) {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmFlags());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN_CLASS);
        command.add("daemon");
        command.add("--data-dir");
        command.add(dataDir.toString());
        return command;
    }

    /** The launcher's JVM flags that keep the daemon's log free of JDK warnings about sqlite-jdbc and protobuf. */
    static List<String> jvmFlags() {
        List<String> flags = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 24) {
            flags.add("--sun-misc-unsafe-memory-access=allow");
        }
        return flags;
    }

    /** Spawns the daemon and returns without waiting for it. @throws IOException if it cannot be spawned */
    public static Process start(Path dataDir) throws IOException {
        DataDir.ensure(dataDir);
        File logFile = dataDir.resolve(DataDir.LOG).toFile();
        List<String> command = command(dataDir);
        log.info("starting daemon: {} (log: {})", String.join(" ", command), logFile);
        return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile))
                .redirectErrorStream(true)
                .start();
    }
}
