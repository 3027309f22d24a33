package io.omnipeer.cli;

import io.omnipeer.bridge.NativeHostRegistration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code omnipeer install-browser-host [--extension-id ID]... [--launcher PATH] [--remove]}: registers (or removes)
 * the native-messaging host so the browser extension can start {@code omnipeer native-messaging}.
 */
@Command(name = "install-browser-host",
        description = "Register this omnipeer with Chromium-family browsers as the native-messaging host io.omnipeer.native.")
final class BrowserHostCommand implements Callable<Integer> {
    /** Set by the ./omnipeer launcher to its own absolute path. */
    static final String LAUNCHER_ENV = "OMNIPEER_LAUNCHER";

    @Spec
    CommandSpec spec;

    @Option(names = "--extension-id", paramLabel = "ID", description = "allowed extension, repeatable (default: the Omnipeer extension, "
            + NativeHostRegistration.EXTENSION_ID + ")")
    List<String> extensionIds = new ArrayList<>();

    @Option(names = "--launcher", paramLabel = "PATH", description = "the omnipeer launcher the browser runs (default: $" + LAUNCHER_ENV + ")")
    Path launcher;

    @Option(names = "--remove", description = "remove the registrations instead")
    boolean remove;

    @Override
    public Integer call() throws Exception {
        Path configHome = NativeHostRegistration.defaultConfigHome();
        if (remove) {
            NativeHostRegistration.uninstall(configHome).forEach(p -> spec.commandLine().getOut().println("removed " + p));
            if (NativeHostRegistration.uninstallFirefox(NativeHostRegistration.defaultHome())) {
                spec.commandLine().getOut().println("removed the Firefox registration");
            }
            return 0;
        }
        Path path = launcher;
        if (path == null) {
            String env = System.getenv(LAUNCHER_ENV);
            if (env == null || env.isBlank()) {
                throw new IllegalArgumentException("pass --launcher PATH (the ./omnipeer script), or run this through ./omnipeer");
            }
            path = Path.of(env);
        }
        List<String> ids = extensionIds.isEmpty() ? List.of(NativeHostRegistration.EXTENSION_ID) : extensionIds;
        for (Path written : NativeHostRegistration.install(configHome, path.toAbsolutePath(), ids)) {
            spec.commandLine().getOut().println("registered " + NativeHostRegistration.HOST_NAME + " in " + written);
        }
        Path firefox = NativeHostRegistration.installFirefox(NativeHostRegistration.defaultHome(), path.toAbsolutePath());
        spec.commandLine().getOut().println("registered " + NativeHostRegistration.HOST_NAME + " in " + firefox);
        return 0;
    }
}
