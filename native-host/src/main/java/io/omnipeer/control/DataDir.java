package io.omnipeer.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where the daemon keeps its state: {@code $XDG_DATA_HOME/omnipeer} (default {@code ~/.local/share/omnipeer}),
 * overridable with {@code --data-dir}. Holds {@code identity.key}, {@code omnipeer.db}, {@code control.sock},
 * {@code daemon.lock} and {@code daemon.log}.
 */
public final class DataDir {
    public static final String CONTROL_SOCKET = "control.sock";
    public static final String DATABASE = "omnipeer.db";
    public static final String LOCK = "daemon.lock";
    public static final String LOG = "daemon.log";

    private DataDir() {
    }

    /** The default data dir per the XDG base directory spec. */
    public static Path defaultPath() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("omnipeer").toAbsolutePath();
    }

    public static Path controlSocket(Path dataDir) {
        return dataDir.resolve(CONTROL_SOCKET);
    }

    /** Creates the directory (mode 0700) if it does not exist yet. */
    public static Path ensure(Path dataDir) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            Files.createDirectories(dataDir.getParent() == null ? dataDir : dataDir.getParent());
            try {
                Files.createDirectory(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process created it first; fine
            }
        }
        return dataDir;
    }
}
