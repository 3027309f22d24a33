package io.omnipeer.cli;

import io.omnipeer.bridge.DaemonLauncher;
import io.omnipeer.bridge.NativeMessagingShim;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code omnipeer native-messaging [chrome-extension://<id>/] [browser args...]}: the stdio relay Chromium starts.
 * Arguments other than the caller origin (e.g. {@code --parent-window=0}) are ignored.
 */
@Command(name = "native-messaging", description = "Relay between the browser (stdin/stdout) and the daemon; started by the browser.")
final class NativeMessagingCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "ARGS", description = "caller origin and other browser arguments (ignored)")
    List<String> args = new ArrayList<>();

    /** Browser flags such as {@code --parent-window=0}. */
    @Unmatched
    List<String> ignored = new ArrayList<>();

    static boolean isBrowserOrigin(String arg) {
        return arg.startsWith("chrome-extension://") || arg.startsWith("moz-extension://");
    }

    @Override
    public Integer call() {
        String origin = args.stream().filter(NativeMessagingCommand::isBrowserOrigin).findFirst().orElse("(unknown caller)");
        var stdout = new FileOutputStream(FileDescriptor.out);
        // stdout carries frames only: anything printed by accident goes to stderr instead
        System.setOut(System.err);
        OmnipeerCommand root = (OmnipeerCommand) spec.root().userObject();
        return NativeMessagingShim.run(root.dataDir(), origin, new FileInputStream(FileDescriptor.in), stdout,
                DaemonLauncher::start);
    }
}
