package io.omnipeer.control;

import io.omnipeer.protocol.control.JsonRpcMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's control socket: a Unix domain socket, mode 0600, that the CLI and the native-messaging shim
 * connect to; each connection becomes a {@link ClientSession}.
 *
 * <p>The socket is bound under a temporary name, restricted to 0600 and then renamed into place, so it is
 * never reachable with wider permissions. A socket file left by a dead daemon is removed first; callers hold
 * the {@link DataDirLock} so a live daemon's socket is never taken over. At most {@link #MAX_CLIENTS}
 * connections are served at once; more are closed on accept with a logged reason. Thread-safe.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    /** Concurrent control connections: a shim per browser profile plus CLI invocations. */
    public static final int MAX_CLIENTS = 64;
    /** sun_path is 108 bytes on Linux, including the terminating NUL. */
    public static final int MAX_SOCKET_PATH_BYTES = 107;

    private final Path socketFile;
    private final ServerSocketChannel server;
    private final RequestDispatcher dispatcher;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextSession = new AtomicLong(1);
    private volatile boolean closed;

    private ControlServer(Path socketFile, ServerSocketChannel server, RequestDispatcher dispatcher) {
        this.socketFile = socketFile;
        this.server = server;
        this.dispatcher = dispatcher;
    }

    /**
     * Binds {@code socketFile} (replacing a stale file) and starts accepting.
     *
     * @throws IOException if the path is too long or cannot be bound
     */
    public static ControlServer start(Path socketFile, RequestDispatcher dispatcher) throws IOException {
        Path absolute = socketFile.toAbsolutePath();
        Path temp = absolute.resolveSibling(absolute.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        for (Path p : List.of(absolute, temp)) {
            if (p.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
                throw new IOException("control socket path " + p + " is longer than " + MAX_SOCKET_PATH_BYTES
                        + " bytes; use a shorter --data-dir");
            }
        }
        if (Files.deleteIfExists(absolute)) {
            log.info("removed stale control socket {}", absolute);
        }
        Files.deleteIfExists(temp);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(temp));
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            server.close();
            Files.deleteIfExists(temp);
            throw e;
        }
        ControlServer control = new ControlServer(absolute, server, dispatcher);
        Thread.ofPlatform().daemon().name("control-accept").start(control::acceptLoop);
        log.info("control socket listening at {}", absolute);
        return control;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.warn("control socket accept failed: {}", e.toString());
                }
                continue;
            }
            if (sessions.size() >= MAX_CLIENTS) {
                log.warn("refusing control connection: {} clients already connected", MAX_CLIENTS);
                closeQuietly(channel);
                continue;
            }
            ClientSession session = new ClientSession(nextSession.getAndIncrement(), channel, dispatcher, sessions::remove);
            sessions.add(session);
            if (closed) {
                session.close();
                return;
            }
            log.debug("control client {} connected", session.id());
            session.start();
        }
    }

    /** Sends a notification to every connected client. */
    public void broadcast(JsonRpcMessage.Notification notification) {
        sessions.forEach(s -> s.send(notification));
    }

    /** A snapshot of the open connections. */
    public List<ClientSession> sessions() {
        return List.copyOf(sessions);
    }

    public Path socketFile() {
        return socketFile;
    }

    /** Stops accepting, closes every connection and removes the socket file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(server);
        sessions.forEach(ClientSession::close);
        try {
            Files.deleteIfExists(socketFile);
        } catch (IOException e) {
            log.warn("cannot remove control socket {}: {}", socketFile, e.toString());
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            log.debug("close: {}", e.toString());
        }
    }
}
