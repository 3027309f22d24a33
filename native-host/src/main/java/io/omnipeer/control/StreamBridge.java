package io.omnipeer.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;
import io.omnipeer.node.Node;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage.Notification;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;

/**
 * The libp2p streams one control client holds (API.md, "apps platform", streams.*): streams it opened or
 * accepted through a handler, relayed as {@code streams.data}/{@code streams.closed} notifications, and the
 * protocols it handles, announced as {@code streams.incoming}.
 *
 * <p>A page names a protocol by its short name; the wire protocol id is {@code /omnipeer/app/<namespace>/<name>}
 * ({@link Namespaces}), so one origin or app can never open or handle another's protocol. A client without
 * origin (CLI) names full protocol ids. One protocol has at most one handler on the node: a second
 * {@code streams.handle} for it, from any client, is refused (-32602) until the first is removed.
 *
 * <p>Bounds (STYLE.md #5): {@link #MAX_STREAMS} streams and {@link #MAX_HANDLERS} handlers per client (else 4290),
 * {@link #MAX_WRITE_BYTES} per write, data notifications of at most {@link #MAX_DATA_BYTES}. Inbound flow
 * control: while the client's outbound queue is congested the stream stops reading, so yamux's window stops the
 * remote sender instead of the daemon buffering. Thread-safe; notifications are sent from stream event loops.
 */
final class StreamBridge {
    private static final Logger log = LoggerFactory.getLogger(StreamBridge.class);
    /** Streams one client may hold open. */
    static final int MAX_STREAMS = 256;
    /** Protocols one client may handle. */
    static final int MAX_HANDLERS = 32;
    /** Largest {@code streams.write} payload, bytes. */
    static final int MAX_WRITE_BYTES = 1 << 20;
    /** Largest payload of one {@code streams.data} notification, bytes. */
    static final int MAX_DATA_BYTES = 256 * 1024;
    /** Longest protocol name, characters. */
    static final int MAX_PROTOCOL_LENGTH = 256;
    /** Wire prefix of namespaced protocols. */
    static final String APP_PROTOCOL_PREFIX = "/omnipeer/app/";
    private static final long RESUME_CHECK_MILLIS = 20;

    /** A relayed stream; {@code protocol} is the name the client used. */
    record Bridged(String id, String origin, String protocol, Stream stream) {
    }

    /** A handled protocol. */
    record Handler(String id, String origin, String protocol, String wireProtocol) {
    }

    private final ClientSession session;
    private final Node node;
    private final ConcurrentMap<String, StreamBridge> protocolOwners;
    private final Map<String, Bridged> streams = new ConcurrentHashMap<>();
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final AtomicInteger opening = new AtomicInteger();
    private final AtomicLong nextId = new AtomicLong(1);

    /** @param protocolOwners shared by every client of the daemon: wire protocol id → the bridge handling it */
    StreamBridge(ClientSession session, Node node, ConcurrentMap<String, StreamBridge> protocolOwners) {
        this.session = session;
        this.node = node;
        this.protocolOwners = protocolOwners;
    }

    /**
     * The wire protocol id for {@code protocol} named by {@code origin} (null = CLI, full ids allowed).
     *
     * @throws IllegalArgumentException for an empty, over-long or malformed name, or path tricks ({@code ..})
     */
    static String wireProtocol(String origin, String protocol) {
        if (protocol == null || protocol.isEmpty() || protocol.length() > MAX_PROTOCOL_LENGTH) {
            throw new IllegalArgumentException("protocol must be 1.." + MAX_PROTOCOL_LENGTH + " characters");
        }
        for (int i = 0; i < protocol.length(); i++) {
            char c = protocol.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("protocol contains whitespace or a control character");
            }
        }
        if (origin == null) {
            return protocol;
        }
        if (!protocol.matches("[A-Za-z0-9._~/-]+")) {
            throw new IllegalArgumentException("protocol name may only use letters, digits and . _ ~ / -");
        }
        for (String segment : protocol.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("protocol name must be relative, without empty, . or .. segments");
            }
        }
        return APP_PROTOCOL_PREFIX + Namespaces.of(origin) + "/" + protocol;
    }

    /** Opens a stream to {@code peer}; completes with its id once the protocol is agreed. */
    CompletableFuture<String> open(String origin, PeerId peer, String protocol) {
        String wire = wireProtocol(origin, protocol);
        if (streams.size() + opening.incrementAndGet() > MAX_STREAMS) {
            opening.decrementAndGet();
            throw new RpcException(ErrorCodes.RESOURCE_LIMIT, "more than " + MAX_STREAMS + " streams on one connection");
        }
        String id = "st" + nextId.getAndIncrement();
        return node.newStream(peer, wire, stream -> attach(new Bridged(id, origin, protocol, stream)))
                .whenComplete((s, e) -> opening.decrementAndGet())
                .thenApply(s -> id);
    }

    /** Handles {@code protocol}: each incoming stream is announced as {@code streams.incoming}. @return handler id */
    String handle(String origin, String protocol) {
        String wire = wireProtocol(origin, protocol);
        synchronized (handlers) {
            if (handlers.size() >= MAX_HANDLERS) {
                throw new RpcException(ErrorCodes.RESOURCE_LIMIT, "more than " + MAX_HANDLERS + " handlers on one connection");
            }
            if (protocolOwners.putIfAbsent(wire, this) != null) {
                throw new IllegalArgumentException("protocol " + protocol + " is already handled");
            }
            Handler handler = new Handler("h" + nextId.getAndIncrement(), origin, protocol, wire);
            handlers.put(handler.id(), handler);
            node.setStreamHandler(wire, stream -> incoming(handler, stream));
            return handler.id();
        }
    }

    /** Stops handling; only {@code origin}'s own handlers. @throws IllegalArgumentException for an unknown id */
    void unhandle(String origin, String handlerId) {
        Handler handler = handlers.get(handlerId);
        if (handler == null || !java.util.Objects.equals(handler.origin(), origin)) {
            throw new IllegalArgumentException("unknown handler " + handlerId);
        }
        remove(handler);
    }

    /** Writes {@code data}; completes once the bytes left for the network (throttling included). */
    CompletableFuture<Void> write(String origin, String streamId, byte[] data) {
        if (data.length > MAX_WRITE_BYTES) {
            throw new IllegalArgumentException("params.data is larger than " + MAX_WRITE_BYTES + " bytes");
        }
        Bridged bridged = own(origin, streamId);
        CompletableFuture<Void> written = new CompletableFuture<>();
        bridged.stream().channel().writeAndFlush(Unpooled.wrappedBuffer(data)).addListener(f -> {
            if (f.isSuccess()) {
                written.complete(null);
            } else {
                written.completeExceptionally(new IllegalStateException("stream " + streamId + " is closed for writing"));
            }
        });
        return written;
    }

    /** Half-closes (FIN); reading continues until the remote closes. */
    CompletableFuture<Void> closeWrite(String origin, String streamId) {
        Bridged bridged = own(origin, streamId);
        CompletableFuture<Void> done = new CompletableFuture<>();
        bridged.stream().closeWrite().addListener(f -> done.complete(null));
        return done;
    }

    /** Resets the stream; no notification follows. */
    void reset(String origin, String streamId) {
        Bridged bridged = own(origin, streamId);
        if (streams.remove(streamId, bridged)) {
            bridged.stream().reset();
        }
    }

    /**
     * Resets the streams and removes the handlers for which {@code revoked(origin, protocol)} holds, telling the
     * client {@code streams.closed {reason}} for each stream. @return how many streams and handlers were closed
     */
    int closeWhere(BiPredicate<String, String> revoked, String reason) {
        int closed = 0;
        for (Bridged bridged : List.copyOf(streams.values())) {
            if (bridged.origin() != null && revoked.test(bridged.origin(), bridged.protocol())
                    && streams.remove(bridged.id(), bridged)) {
                bridged.stream().reset();
                notifyClosed(bridged.id(), reason);
                closed++;
            }
        }
        for (Handler handler : List.copyOf(handlers.values())) {
            if (handler.origin() != null && revoked.test(handler.origin(), handler.protocol())) {
                remove(handler);
                closed++;
            }
        }
        return closed;
    }

    /** Resets every stream and removes every handler, silently (the client is gone). */
    void closeAll() {
        for (Bridged bridged : List.copyOf(streams.values())) {
            if (streams.remove(bridged.id(), bridged)) {
                bridged.stream().reset();
            }
        }
        List.copyOf(handlers.values()).forEach(this::remove);
    }

    int streamCount() {
        return streams.size();
    }

    private void remove(Handler handler) {
        if (handlers.remove(handler.id(), handler) && protocolOwners.remove(handler.wireProtocol(), this)) {
            node.removeStreamHandler(handler.wireProtocol());
        }
    }

    private Bridged own(String origin, String streamId) {
        Bridged bridged = streams.get(streamId);
        if (bridged == null || !java.util.Objects.equals(bridged.origin(), origin)) {
            throw new IllegalArgumentException("unknown stream " + streamId);
        }
        return bridged;
    }

    private void incoming(Handler handler, Stream stream) {
        if (!handlers.containsKey(handler.id()) || session.isClosed() || streams.size() >= MAX_STREAMS) {
            log.debug("refusing an incoming {} stream from {}: handler gone or stream limit", handler.protocol(),
                    stream.remotePeer());
            stream.reset();
            return;
        }
        Bridged bridged = new Bridged("st" + nextId.getAndIncrement(), handler.origin(), handler.protocol(), stream);
        session.send(new Notification(Methods.STREAMS_INCOMING, object().put("handler", handler.id())
                .put("stream", bridged.id()).put("peerId", stream.remotePeer().toBase58())
                .put("protocol", handler.protocol())));
        attach(bridged);
    }

    /** Runs on the stream's event loop before any of its data is read. */
    private void attach(Bridged bridged) {
        streams.put(bridged.id(), bridged);
        bridged.stream().channel().pipeline().addLast("control-bridge", new Relay(bridged));
        if (session.isClosed() && streams.remove(bridged.id(), bridged)) {
            bridged.stream().reset();
        }
    }

    private void notifyClosed(String streamId, String reason) {
        ObjectNode params = object().put("stream", streamId);
        if (reason != null) {
            params.put("reason", reason);
        }
        session.send(new Notification(Methods.STREAMS_CLOSED, params));
    }

    private static ObjectNode object() {
        return JsonRpcCodec.mapper().createObjectNode();
    }

    /** Relays one stream's inbound bytes and closes to the client. */
    private final class Relay extends ChannelInboundHandlerAdapter {
        private final Bridged bridged;
        private boolean remoteClosed;

        Relay(Bridged bridged) {
            this.bridged = bridged;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                ctx.fireChannelRead(msg);
                return;
            }
            try {
                if (!streams.containsKey(bridged.id())) {
                    return;
                }
                Base64.Encoder base64 = Base64.getEncoder();
                while (buf.isReadable()) {
                    byte[] chunk = new byte[Math.min(buf.readableBytes(), MAX_DATA_BYTES)];
                    buf.readBytes(chunk);
                    session.send(new Notification(Methods.STREAMS_DATA,
                            object().put("stream", bridged.id()).put("data", base64.encodeToString(chunk))));
                }
            } finally {
                buf.release();
            }
            if (session.congested() && ctx.channel().config().isAutoRead()) {
                ctx.channel().config().setAutoRead(false);
                scheduleResume(ctx);
            }
        }

        private void scheduleResume(ChannelHandlerContext ctx) {
            ctx.executor().schedule(() -> {
                if (!ctx.channel().isActive() || session.isClosed()) {
                    return;
                }
                if (session.congested()) {
                    scheduleResume(ctx);
                } else {
                    ctx.channel().config().setAutoRead(true);
                }
            }, RESUME_CHECK_MILLIS, TimeUnit.MILLISECONDS);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent && !remoteClosed) {
                remoteClosed = true;
                if (streams.containsKey(bridged.id())) {
                    notifyClosed(bridged.id(), null);
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (streams.remove(bridged.id(), bridged) && !remoteClosed) {
                notifyClosed(bridged.id(), "reset");
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("stream {} ({}): {}", bridged.id(), bridged.protocol(), cause.toString());
            ctx.close();
        }
    }

    /** For tests and logs: the ids of the streams held. */
    List<String> streamIds() {
        return new ArrayList<>(streams.keySet());
    }
}
