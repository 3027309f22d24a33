package io.omnipeer.cli;

import io.omnipeer.control.DaemonUnreachableException;
import io.omnipeer.control.DataDir;
import io.omnipeer.protocol.control.RpcException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code omnipeer}: the daemon, its CLI client and the browser's native-messaging shim in one executable.
 * Exit codes: 0 success, 1 error (one line on stderr), 2 usage error.
 *
 * <p>Chromium starts native-messaging hosts as {@code <path> chrome-extension://<id>/ [--parent-window=N]}:
 * such an invocation is run as {@code omnipeer native-messaging chrome-extension://<id>/ ...}.
 */
@Command(name = "omnipeer", mixinStandardHelpOptions = true, version = "omnipeer 0.1.0",
        description = "Always-on peer-to-peer node, its CLI and the browser bridge.",
        subcommands = {DaemonCommand.class, StatusCommand.class, PeersCommand.class, ConnectCommand.class,
                PingCommand.class, PubsubCommand.class, DhtCommand.class, GrantsCommand.class, NativeMessagingCommand.class, DemoCommand.class,
                BrowserHostCommand.class, AppsCommand.class, SettingsCommand.class})
public final class OmnipeerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Environment variable that overrides the default data dir (the browser cannot pass --data-dir). */
    public static final String DATA_DIR_ENV = "OMNIPEER_DATA_DIR";

    private Path dataDir;

    @Option(names = "--data-dir", scope = CommandLine.ScopeType.INHERIT, paramLabel = "DIR",
            description = "state directory (default: $" + DATA_DIR_ENV + ", else $XDG_DATA_HOME/omnipeer)")
    void setDataDir(Path dir) {
        this.dataDir = dir;
    }

    /** The data dir from --data-dir, $OMNIPEER_DATA_DIR or the XDG default, absolute. */
    Path dataDir() {
        if (dataDir != null) {
            return dataDir.toAbsolutePath().normalize();
        }
        String env = System.getenv(DATA_DIR_ENV);
        return env != null && !env.isBlank() ? Path.of(env).toAbsolutePath().normalize() : DataDir.defaultPath();
    }

    /** {@code omnipeer} without a command: usage on stderr, exit 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    public static void main(String[] args) {
        String[] effective = args.length > 0 && NativeMessagingCommand.isBrowserOrigin(args[0])
                ? prepend("native-messaging", args) : args;
        configureLogging(effective.length > 0 ? effective[0] : "");
        System.exit(execute(effective));
    }

    /** Parses and runs with the process's stdout/stderr; returns the exit code. */
    static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Parses and runs; returns the exit code (tests pass their own writers and keep the JVM). */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new OmnipeerCommand()).setOut(out).setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("omnipeer: " + describe(e, commandLine.getCommand()));
            return 1;
        });
        return cli.execute(args);
    }

    static String describe(Exception e, Object command) {
        if (e instanceof DaemonUnreachableException d) {
            return "daemon not running at " + d.socketFile() + "; start it with ./omnipeer daemon"
                    + (d.socketFile().getParent().equals(DataDir.defaultPath()) ? "" : " --data-dir " + d.socketFile().getParent());
        }
        if (e instanceof RpcException r) {
            return r.getMessage() + " (error " + r.code() + ")";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    /**
     * slf4j-simple reads its settings once, at the first logger: the shim must never log to stdout (it carries
     * frames), the daemon logs at info, CLI commands only warn.
     */
    private static void configureLogging(String subcommand) {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", subcommand.equals("daemon") ? "info" : "warn");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSZ");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static String[] prepend(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
