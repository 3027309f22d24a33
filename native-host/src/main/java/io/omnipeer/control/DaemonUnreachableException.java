package io.omnipeer.control;

import java.io.IOException;
import java.nio.file.Path;

/** No daemon answers on the control socket (error 4900 in the bridge protocol). */
public final class DaemonUnreachableException extends IOException {
    private final Path socketFile;

    public DaemonUnreachableException(Path socketFile, Throwable cause) {
        super("daemon not running at " + socketFile, cause);
        this.socketFile = socketFile;
    }

    public Path socketFile() {
        return socketFile;
    }
}
