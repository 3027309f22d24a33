package io.omnipeer.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.node.Node;
import io.omnipeer.node.PubsubSubscription;
import io.omnipeer.protocol.control.ControlFrames;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.FrameException;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage;
import io.omnipeer.protocol.control.MalformedMessageException;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcError;
import io.omnipeer.protocol.control.RpcException;
import io.omnipeer.pubsub.PubsubMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One client connection on the control socket (the CLI or a native-messaging shim): reads request frames,
 * hands them to the {@link RequestDispatcher}, and writes responses and notifications through a bounded
 * outbound queue drained by its own writer thread.
 *
 * <p>Bounds (STYLE.md #5): frames ≤ {@link ControlFrames#MAX_PAYLOAD_BYTES}; ≤ {@link #MAX_SUBSCRIPTIONS}
 * subscriptions and ≤ {@link #MAX_IN_FLIGHT} unanswered requests (else error 4290); ≤ {@link #MAX_QUEUED_MESSAGES}
 * messages and {@link #MAX_QUEUED_BYTES} bytes waiting to be written — a client that reads slower than that is
 * disconnected with a logged reason. A malformed frame closes only this connection.
 *
 * <p>Thread-safe: {@link #send} may be called from any thread (node threads deliver pubsub messages).
 */
public final class ClientSession {
    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    /** Subscriptions one connection may hold (a browser's pages share the shim's connection). */
    public static final int MAX_SUBSCRIPTIONS = 256;
    /** Requests being handled at once for one connection (dials and pings can take seconds). */
    public static final int MAX_IN_FLIGHT = 256;
    /** Messages waiting for the client to read. */
    public static final int MAX_QUEUED_MESSAGES = 8192;
    /** Bytes waiting for the client to read: 4 maximal frames. */
    public static final long MAX_QUEUED_BYTES = 4L * ControlFrames.MAX_PAYLOAD_BYTES;
    private static final byte[] CLOSE_MARKER = new byte[0];

    /** One subscription: {@code topic} as its caller named it (before {@link Namespaces#wireTopic}). */
    record Subscription(String id, String origin, String topic, PubsubSubscription handle) {
    }

    private final long id;
    private final SocketChannel channel;
    private final RequestDispatcher dispatcher;
    private final Consumer<ClientSession> onClosed;
    private final BlockingQueue<byte[]> outbound = new ArrayBlockingQueue<>(MAX_QUEUED_MESSAGES + 1);
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final AtomicLong nextSubscription = new AtomicLong(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile StreamBridge streams;

    ClientSession(long id, SocketChannel channel, RequestDispatcher dispatcher, Consumer<ClientSession> onClosed) {
        this.id = id;
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.onClosed = onClosed;
    }

    void start() {
        Thread.ofVirtual().name("control-" + id + "-read").start(this::readLoop);
        Thread.ofVirtual().name("control-" + id + "-write").start(this::writeLoop);
    }

    public long id() {
        return id;
    }

    private void readLoop() {
        try (InputStream in = new BufferedInputStream(UnixSockets.in(channel), 64 * 1024)) {
            byte[] payload;
            while ((payload = ControlFrames.read(in)) != null) {
                receive(payload);
            }
            log.debug("control client {} closed the connection", id);
        } catch (FrameException e) {
            log.warn("control client {}: {}; closing its connection", id, e.getMessage());
        } catch (IOException e) {
            if (!closed.get()) {
                log.debug("control client {}: read failed: {}", id, e.toString());
            }
        } finally {
            close();
        }
    }

    private void receive(byte[] payload) {
        JsonRpcMessage message;
        try {
            message = JsonRpcCodec.decode(payload);
        } catch (MalformedMessageException e) {
            log.debug("control client {}: {}", id, e.getMessage());
            send(e.toErrorResponse());
            return;
        }
        if (!(message instanceof JsonRpcMessage.Request request)) {
            log.debug("control client {}: ignoring {}", id, message.getClass().getSimpleName());
            return;
        }
        if (!inFlight.tryAcquire()) {
            send(error(request.id(), ErrorCodes.RESOURCE_LIMIT, "more than " + MAX_IN_FLIGHT + " requests in flight"));
            return;
        }
        dispatcher.dispatch(request, this).whenComplete((result, failure) -> {
            inFlight.release();
            send(failure == null ? new JsonRpcMessage.Response(request.id(), result)
                    : new JsonRpcMessage.ErrorResponse(request.id(), RequestDispatcher.toError(request.method(), failure)));
        });
    }

    /**
     * Queues a message for the client. Never blocks; closes the connection when the client is too slow.
     * A response too large for one frame becomes a 4290 error; such a notification is dropped with a warning.
     */
    public void send(JsonRpcMessage message) {
        if (closed.get()) {
            return;
        }
        byte[] bytes = JsonRpcCodec.encode(message);
        if (bytes.length > ControlFrames.MAX_PAYLOAD_BYTES) {
            if (message instanceof JsonRpcMessage.Response response) {
                bytes = JsonRpcCodec.encode(error(response.id(), ErrorCodes.RESOURCE_LIMIT,
                        "result larger than " + ControlFrames.MAX_PAYLOAD_BYTES + " bytes"));
            } else {
                log.warn("control client {}: dropping a {}-byte message over the frame limit", id, bytes.length);
                return;
            }
        }
        if (queuedBytes.addAndGet(bytes.length) > MAX_QUEUED_BYTES || !outbound.offer(bytes)) {
            log.warn("control client {} is not reading ({} messages, {} bytes queued); disconnecting it",
                    id, outbound.size(), queuedBytes.get());
            close();
        }
    }

    private void writeLoop() {
        try (OutputStream out = new BufferedOutputStream(UnixSockets.out(channel), 64 * 1024)) {
            while (true) {
                byte[] bytes = outbound.take();
                if (bytes == CLOSE_MARKER) {
                    return;
                }
                queuedBytes.addAndGet(-bytes.length);
                out.write(ControlFrames.encode(bytes));
                if (outbound.isEmpty()) {
                    out.flush();
                }
            }
        } catch (IOException e) {
            if (!closed.get()) {
                log.debug("control client {}: write failed: {}", id, e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    /**
     * Subscribes this connection to {@code topic}; messages arrive as {@code pubsub.message} notifications that
     * name the topic as the caller did (an app's subscription listens on its wire topic,
     * {@link Namespaces#wireTopic}).
     *
     * @param origin the page principal the subscription belongs to, or null for CLI/popup
     * @return the subscription id
     * @throws RpcException {@link ErrorCodes#RESOURCE_LIMIT} past {@link #MAX_SUBSCRIPTIONS}
     */
    String subscribe(Node node, String origin, String topic) {
        synchronized (subscriptions) {
            if (subscriptions.size() >= MAX_SUBSCRIPTIONS) {
                throw new RpcException(ErrorCodes.RESOURCE_LIMIT, "more than " + MAX_SUBSCRIPTIONS
                        + " subscriptions on one connection");
            }
            String subscriptionId = "s" + nextSubscription.getAndIncrement();
            PubsubSubscription handle = node.subscribe(Namespaces.wireTopic(origin, topic),
                    m -> deliver(subscriptionId, topic, m));
            subscriptions.put(subscriptionId, new Subscription(subscriptionId, origin, topic, handle));
            if (closed.get()) {
                closeSubscriptions(s -> true);
            }
            return subscriptionId;
        }
    }

    /** Closes a subscription that belongs to {@code origin} (null = CLI). @return whether it existed */
    boolean unsubscribe(String subscriptionId, String origin) {
        Subscription subscription = subscriptions.get(subscriptionId);
        if (subscription == null || !java.util.Objects.equals(subscription.origin(), origin)) {
            return false;
        }
        if (subscriptions.remove(subscriptionId, subscription)) {
            subscription.handle().close();
        }
        return true;
    }

    /** Closes every subscription matching {@code which}. @return the closed ones */
    List<Subscription> closeSubscriptions(Predicate<Subscription> which) {
        List<Subscription> removed = new ArrayList<>();
        for (Subscription subscription : subscriptions.values()) {
            if (which.test(subscription) && subscriptions.remove(subscription.id(), subscription)) {
                subscription.handle().close();
                removed.add(subscription);
            }
        }
        return removed;
    }

    List<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    private void deliver(String subscriptionId, String topic, PubsubMessage message) {
        if (!subscriptions.containsKey(subscriptionId)) {
            return;
        }
        Base64.Encoder base64 = Base64.getEncoder();
        ObjectNode params = JsonRpcCodec.mapper().createObjectNode()
                .put("subscription", subscriptionId)
                .put("topic", topic)
                .put("from", message.from() == null ? "" : message.from().toBase58())
                .put("data", base64.encodeToString(message.data()))
                .put("seqno", message.seqno() == null ? "" : base64.encodeToString(message.seqno()));
        send(new JsonRpcMessage.Notification(Methods.PUBSUB_MESSAGE, params));
    }

    /**
     * True while more than a quarter of {@link #MAX_QUEUED_BYTES} waits for the client: stream relays stop
     * reading until it drains (yamux flow control then holds the remote sender).
     */
    boolean congested() {
        return queuedBytes.get() > MAX_QUEUED_BYTES / 4;
    }

    /** This connection's streams, created on first use by {@code factory}. */
    StreamBridge streams(java.util.function.Function<ClientSession, StreamBridge> factory) {
        StreamBridge bridge = streams;
        if (bridge == null) {
            synchronized (this) {
                if (streams == null) {
                    streams = factory.apply(this);
                    if (closed.get()) {
                        streams.closeAll();
                    }
                }
                bridge = streams;
            }
        }
        return bridge;
    }

    /** This connection's streams if it ever used any, else null. */
    StreamBridge streamsIfAny() {
        return streams;
    }

    /** Closes the connection, its subscriptions, streams and handlers; idempotent. */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeSubscriptions(s -> true);
        StreamBridge bridge = streams;
        if (bridge != null) {
            bridge.closeAll();
        }
        outbound.clear();
        outbound.offer(CLOSE_MARKER);
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("control client {}: close: {}", id, e.toString());
        }
        onClosed.accept(this);
    }

    public boolean isClosed() {
        return closed.get();
    }

    private static JsonRpcMessage.ErrorResponse error(JsonNode id, int code, String message) {
        return new JsonRpcMessage.ErrorResponse(id, new RpcError(code, message));
    }
}
