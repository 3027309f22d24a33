package io.omnipeer.bridge;

import io.omnipeer.control.DataDir;
import io.omnipeer.control.UnixSockets;
import io.omnipeer.protocol.control.ControlFrames;
import io.omnipeer.protocol.control.FrameException;
import io.omnipeer.protocol.control.NativeMessagingChunks;
import io.omnipeer.protocol.control.NativeMessagingFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The native-messaging relay the browser starts ({@code omnipeer native-messaging}): connects to the daemon's
 * control socket, starting the daemon if none answers, then relays frames both ways until either side closes:
 * browser→daemon native-messaging frames (little-endian length) become control frames (big-endian), and
 * daemon→browser messages become native-messaging frames, split into chunk messages when larger than
 * {@link NativeMessagingFrames#MAX_HOST_TO_BROWSER_BYTES}. Closing the browser ends the shim, never the daemon.
 *
 * <p>Writes nothing but frames to {@code stdout}. Messages are relayed verbatim, not parsed: the daemon
 * validates them (DESIGN.md, "the browser starts a small relay"). Spec: Chrome "Native messaging";
 * API.md, "control / bridge protocol".
 */
public final class NativeMessagingShim {
    private static final Logger log = LoggerFactory.getLogger(NativeMessagingShim.class);
    /** How long to wait for an auto-started daemon's control socket (JVM start + node start + bind). */
    public static final Duration DAEMON_START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_RETRY = Duration.ofMillis(100);

    /** Starts a daemon for a data dir (a seam for tests; production uses {@link DaemonLauncher#start}). */
    @FunctionalInterface
    public interface Starter {
        void start(Path dataDir) throws IOException;
    }

    private NativeMessagingShim() {
    }

    /**
     * Runs the relay until the browser closes stdin or the daemon closes the socket.
     *
     * @param origin the caller origin Chromium passed ({@code chrome-extension://<id>/}), for the log only
     * @return the exit code: 0 when a side closed normally, 1 when the daemon was unreachable or a frame was bad
     */
    public static int run(Path dataDir, String origin, InputStream stdin, OutputStream stdout, Starter starter) {
        Path socketFile = DataDir.controlSocket(dataDir);
        SocketChannel channel;
        try {
            channel = connectOrStart(dataDir, socketFile, starter);
        } catch (IOException e) {
            log.error("native-messaging for {}: daemon unreachable at {}: {}", origin, socketFile, e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        log.info("native-messaging for {} relaying to {}", origin, socketFile);
        CountDownLatch done = new CountDownLatch(1);
        int[] exit = {0};
        Thread up = Thread.ofPlatform().daemon().name("nm-browser-to-daemon").start(() -> {
            exit[0] |= browserToDaemon(stdin, channel);
            done.countDown();
        });
        Thread down = Thread.ofPlatform().daemon().name("nm-daemon-to-browser").start(() -> {
            exit[0] |= daemonToBrowser(channel, stdout);
            done.countDown();
        });
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("close: {}", e.toString());
        }
        log.info("native-messaging for {} finished", origin);
        return exit[0];
    }

    static SocketChannel connectOrStart(Path dataDir, Path socketFile, Starter starter)
            throws IOException, InterruptedException {
        try {
            return UnixSockets.connect(socketFile);
        } catch (IOException notRunning) {
            log.info("no daemon at {} ({}); starting one", socketFile, notRunning.toString());
        }
        starter.start(dataDir);
        long deadline = System.nanoTime() + DAEMON_START_TIMEOUT.toNanos();
        IOException last;
        do {
            Thread.sleep(CONNECT_RETRY.toMillis());
            try {
                return UnixSockets.connect(socketFile);
            } catch (IOException e) {
                last = e;
            }
        } while (System.nanoTime() < deadline);
        throw new IOException("daemon did not open its control socket within " + DAEMON_START_TIMEOUT.toSeconds()
                + " s (see " + dataDir.resolve(DataDir.LOG) + ")", last);
    }

    private static int browserToDaemon(InputStream stdin, SocketChannel channel) {
        try (InputStream in = new BufferedInputStream(stdin, 64 * 1024)) {
            OutputStream socket = UnixSockets.out(channel);
            byte[] message;
            while ((message = NativeMessagingFrames.read(in)) != null) {
                socket.write(ControlFrames.encode(message));
            }
            log.debug("browser closed stdin");
            return 0;
        } catch (FrameException e) {
            log.warn("bad frame from the browser: {}", e.getMessage());
            return 1;
        } catch (IOException e) {
            log.debug("browser to daemon: {}", e.toString());
            return 0;
        }
    }

    private static int daemonToBrowser(SocketChannel channel, OutputStream stdout) {
        try (InputStream socket = new BufferedInputStream(UnixSockets.in(channel), 64 * 1024)) {
            OutputStream out = new BufferedOutputStream(stdout, 64 * 1024);
            byte[] message;
            while ((message = ControlFrames.read(socket)) != null) {
                for (byte[] part : NativeMessagingChunks.split(message)) {
                    out.write(NativeMessagingFrames.encode(part, NativeMessagingFrames.MAX_HOST_TO_BROWSER_BYTES));
                }
                out.flush();
            }
            log.debug("daemon closed the control socket");
            return 0;
        } catch (FrameException e) {
            log.warn("bad frame from the daemon: {}", e.getMessage());
            return 1;
        } catch (IOException e) {
            log.debug("daemon to browser: {}", e.toString());
            return 0;
        }
    }
}
