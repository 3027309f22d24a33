package io.omnipeer.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.protocol.control.ControlFrames;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.FrameException;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage;
import io.omnipeer.protocol.control.MalformedMessageException;
import io.omnipeer.protocol.control.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A control-socket client (the CLI, tests, tools): JSON-RPC calls with futures matched by id, and a
 * notification callback. One reader thread; {@link #call} may be used from any thread.
 * When the socket closes every pending call fails with an {@link RpcException} code 4900.
 */
public final class ControlClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlClient.class);
    /** How long {@link #call(String, ObjectNode)} waits by default: a dial or ping may take this long. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final SocketChannel channel;
    private final Path socketFile;
    private final OutputStream out;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private volatile Consumer<JsonRpcMessage.Notification> notificationHandler = n -> { };

    private ControlClient(SocketChannel channel, Path socketFile) {
        this.channel = channel;
        this.socketFile = socketFile;
        this.out = UnixSockets.out(channel);
        Thread.ofVirtual().name("control-client-read").start(this::readLoop);
    }

    /** @throws DaemonUnreachableException if no daemon listens on {@code socketFile} */
    public static ControlClient connect(Path socketFile) throws DaemonUnreachableException {
        try {
            return new ControlClient(UnixSockets.connect(socketFile), socketFile);
        } catch (IOException e) {
            throw new DaemonUnreachableException(socketFile, e);
        }
    }

    /** Sets the callback for notifications; it runs on the reader thread and must not block. */
    public void onNotification(Consumer<JsonRpcMessage.Notification> handler) {
        this.notificationHandler = handler;
    }

    /** Sends a request; the future fails with {@link RpcException} on an error response or disconnect. */
    public CompletableFuture<JsonNode> callAsync(String method, ObjectNode params) {
        int id = nextId.getAndIncrement();
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        pending.put(id, future);
        byte[] frame;
        try {
            frame = ControlFrames.encode(JsonRpcCodec.encode(new JsonRpcMessage.Request(IntNode.valueOf(id), method, params)));
        } catch (FrameException e) {
            pending.remove(id);
            return CompletableFuture.failedFuture(new RpcException(ErrorCodes.RESOURCE_LIMIT, e.getMessage()));
        }
        synchronized (out) {
            try {
                out.write(frame);
            } catch (IOException e) {
                pending.remove(id);
                future.completeExceptionally(disconnected());
            }
        }
        if (closedFuture.isDone()) {
            failPending();
        }
        return future;
    }

    /** Blocking call with {@link #DEFAULT_TIMEOUT}. @throws RpcException for error responses, timeouts (4900) */
    public JsonNode call(String method, ObjectNode params) {
        return call(method, params, DEFAULT_TIMEOUT);
    }

    public JsonNode call(String method, ObjectNode params, Duration timeout) {
        CompletableFuture<JsonNode> future = callAsync(method, params);
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RpcException rpc) {
                throw rpc;
            }
            throw new UncheckedIOException(new IOException(e.getCause()));
        } catch (TimeoutException e) {
            throw new RpcException(ErrorCodes.DISCONNECTED, method + ": no answer from the daemon within "
                    + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RpcException(ErrorCodes.DISCONNECTED, method + ": interrupted");
        }
    }

    /** Completes when the connection closed (either side). */
    public CompletableFuture<Void> closed() {
        return closedFuture;
    }

    private void readLoop() {
        try (InputStream in = new BufferedInputStream(UnixSockets.in(channel), 64 * 1024)) {
            byte[] payload;
            while ((payload = ControlFrames.read(in)) != null) {
                receive(payload);
            }
        } catch (IOException e) {
            log.debug("control client: {}", e.toString());
        } finally {
            closedFuture.complete(null);
            failPending();
        }
    }

    private void receive(byte[] payload) {
        JsonRpcMessage message;
        try {
            message = JsonRpcCodec.decode(payload);
        } catch (MalformedMessageException e) {
            log.warn("daemon sent a malformed message: {}", e.getMessage());
            return;
        }
        switch (message) {
            case JsonRpcMessage.Response r -> complete(r.id(), r.result(), null);
            case JsonRpcMessage.ErrorResponse e -> complete(e.id(), null, new RpcException(e.error()));
            case JsonRpcMessage.Notification n -> {
                try {
                    notificationHandler.accept(n);
                } catch (RuntimeException e) {
                    log.warn("notification handler failed: {}", e.toString());
                }
            }
            case JsonRpcMessage.Request r -> log.debug("ignoring request {} from the daemon", r.method());
        }
    }

    private void complete(JsonNode id, JsonNode result, RpcException error) {
        CompletableFuture<JsonNode> future = id.isIntegralNumber() ? pending.remove(id.intValue()) : null;
        if (future == null) {
            log.debug("answer for unknown request id {}", id);
        } else if (error != null) {
            future.completeExceptionally(error);
        } else {
            future.complete(result);
        }
    }

    private void failPending() {
        for (Integer id : pending.keySet()) {
            CompletableFuture<JsonNode> future = pending.remove(id);
            if (future != null) {
                future.completeExceptionally(disconnected());
            }
        }
    }

    private RpcException disconnected() {
        return new RpcException(ErrorCodes.DISCONNECTED, "connection to the daemon at " + socketFile + " closed");
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("close: {}", e.toString());
        }
    }
}
