package io.omnipeer.muxer.yamux;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The yamux session state machine on one connection: stream table, stream id allocation, flow control
 * bookkeeping, ping answering, keepalive ({@link #KEEPALIVE_INTERVAL}) and Go Away. It handles
 * {@link YamuxFrame}s only; bytes are the business of {@link YamuxFrameDecoder} and {@link YamuxFrameEncoder}
 * (use {@link #install}).
 * Spec: libp2p/specs yamux/README.md (hashicorp/yamux spec.md), "Message Flow" and "Implementation considerations".
 *
 * <p>Errors: a frame that breaks the rules of one stream (data beyond the window or after FIN, window overflow)
 * resets that stream; a frame that breaks the session (bad header, SYN with our id parity or for an open stream,
 * Data/Window Update on stream 0, Ping/Go Away on another) sends Go Away with "protocol error" and closes the
 * connection. Frames for unknown streams (racing a reset) are dropped. Reasons are logged.
 *
 * <p>Threading: frame handling runs on the connection's event loop; {@link #openStream} and {@link #close} may be
 * called from any thread. One instance per connection.
 */
public final class YamuxSession extends ChannelInboundHandlerAdapter {
    /** multistream-select protocol id. */
    public static final String PROTOCOL_ID = "/yamux/1.0.0";
    /** Initial window of every stream in both directions, 256 KiB ("Flow Control"). We never grant more. */
    public static final int INITIAL_WINDOW = 256 * 1024;
    /** We return credit to the peer once this much has been read, keeping its window from running dry. */
    public static final int WINDOW_UPDATE_THRESHOLD = INITIAL_WINDOW / 2;
    /** "SHOULD at most allow an ACK backlog of 256 streams" ("ACK backlog & backpressure"). */
    public static final int MAX_ACK_BACKLOG = 256;
    /** Default cap on concurrently open streams (both directions); inbound SYNs beyond it are answered with RST. */
    public static final int DEFAULT_MAX_STREAMS = 1024;
    /** After a local close, the peer has this long to FIN before we RST the stream and forget it. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Keepalive ping period (go-yamux and js-libp2p yamux use 30 s); an unanswered ping closes the session. */
    public static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(YamuxSession.class);

    private final YamuxKeepalive keepalive;
    private final boolean client;
    private final int maxStreams;
    private final Consumer<YamuxStreamChannel> inboundInitializer;
    private final Map<Integer, YamuxStreamChannel> streams = new HashMap<>();
    private ChannelHandlerContext ctx;
    private long nextStreamId;
    private int ackBacklog;
    private boolean goAwaySent;
    private boolean goAwayReceived;

    /**
     * @param client             true on the connection's dialer (odd stream ids), false on the listener (even)
     * @param maxStreams         cap on concurrently open streams
     * @param inboundInitializer called on the event loop for each stream the peer opens, before the stream is
     *                           registered: install its handlers on {@code stream.pipeline()}
     */
    public YamuxSession(boolean client, int maxStreams, Consumer<YamuxStreamChannel> inboundInitializer) {
        this(client, maxStreams, inboundInitializer, KEEPALIVE_INTERVAL);
    }

    /** As {@link #YamuxSession(boolean, int, Consumer)} with an explicit keepalive period. */
    public YamuxSession(boolean client, int maxStreams, Consumer<YamuxStreamChannel> inboundInitializer, Duration keepaliveInterval) {
        this.keepalive = new YamuxKeepalive(keepaliveInterval);
        this.client = client;
        this.maxStreams = maxStreams;
        this.inboundInitializer = inboundInitializer;
        this.nextStreamId = client ? 1 : 2;
    }

    /** Adds decoder, encoder and {@code session} at the end of {@code pipeline}. */
    public static void install(ChannelPipeline pipeline, YamuxSession session) {
        pipeline.addLast("yamux-decoder", new YamuxFrameDecoder());
        pipeline.addLast("yamux-encoder", new YamuxFrameEncoder());
        pipeline.addLast("yamux-session", session);
    }

    /**
     * Opens a stream: sends SYN (a Window Update with delta 0) at once, without waiting for the ACK.
     * @param initializer installs the stream's handlers before it becomes active
     * @return the stream; fails with {@link YamuxException} when the session is closing, at the stream cap, at
     *         the ACK backlog limit or out of stream ids
     */
    public CompletableFuture<YamuxStreamChannel> openStream(Consumer<YamuxStreamChannel> initializer) {
        CompletableFuture<YamuxStreamChannel> result = new CompletableFuture<>();
        if (ctx == null) {
            result.completeExceptionally(new YamuxException("session not attached to a channel"));
            return result;
        }
        ctx.executor().execute(() -> {
            try {
                result.complete(openStream0(initializer));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private YamuxStreamChannel openStream0(Consumer<YamuxStreamChannel> initializer) {
        if (goAwaySent || goAwayReceived || !ctx.channel().isActive()) {
            throw new YamuxException("session is closing");
        }
        if (streams.size() >= maxStreams) {
            throw new YamuxException("stream limit of " + maxStreams + " reached");
        }
        if (ackBacklog >= MAX_ACK_BACKLOG) {
            throw new YamuxException("peer has not acknowledged " + MAX_ACK_BACKLOG + " streams");
        }
        if (nextStreamId > YamuxFrame.MAX_LENGTH) {
            throw new YamuxException("stream ids exhausted");
        }
        int id = (int) nextStreamId;
        nextStreamId += 2;
        YamuxStreamChannel stream = new YamuxStreamChannel(this, ctx.channel(), id, true);
        initializer.accept(stream);
        streams.put(id, stream);
        ackBacklog++;
        sendFlags(id, YamuxFrame.SYN);
        flush();
        ctx.channel().eventLoop().register(stream);
        return stream;
    }

    /** Number of streams in the table, including locally closed ones awaiting the peer's FIN. Event loop only. */
    public int streamCount() {
        return streams.size();
    }

    /** True on the connection's dialer. */
    public boolean isClient() {
        return client;
    }

    /** Sends Go Away (normal termination) and closes the connection. */
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (ctx == null) {
            done.complete(null);
            return done;
        }
        ctx.channel().closeFuture().addListener(f -> done.complete(null));
        ctx.executor().execute(() -> goAway(YamuxFrame.GO_AWAY_NORMAL));
        return done;
    }

    private void goAway(long code) {
        if (!goAwaySent && ctx.channel().isActive()) {
            goAwaySent = true;
            ctx.writeAndFlush(YamuxFrame.goAway(code)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    // ---- inbound frames ----

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            startKeepalive();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        startKeepalive();
        super.channelActive(ctx);
    }

    private void startKeepalive() {
        keepalive.start(ctx, () -> {
            LOG.info("{}: no answer to our keepalive ping, closing connection", ctx.channel());
            ctx.close();
        });
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        keepalive.stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof YamuxFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            switch (frame.type()) {
                case DATA, WINDOW_UPDATE -> onStreamFrame(frame);
                case PING -> onPing(frame);
                case GO_AWAY -> onGoAway(frame);
            }
        } catch (YamuxProtocolException e) {
            frame.release();
            protocolError(e.getMessage());
        }
    }

    private void onStreamFrame(YamuxFrame frame) {
        int id = frame.streamId();
        if (id == 0) {
            throw new YamuxProtocolException(frame.type() + " frame on stream 0");
        }
        YamuxStreamChannel stream = streams.get(id);
        if (frame.hasFlag(YamuxFrame.SYN)) {
            stream = acceptStream(id, stream);
            if (stream == null) {
                frame.release();
                return;
            }
        } else if (stream == null) {
            // A frame racing our RST or close: nothing to deliver it to.
            LOG.debug("{}: {} for unknown stream ignored", ctx.channel(), frame);
            frame.release();
            return;
        }
        if (frame.hasFlag(YamuxFrame.ACK) && stream.isInitiator() && !stream.acknowledged) {
            stream.acknowledged = true;
            ackBacklog--;
        }
        if (frame.type() == YamuxFrame.Type.DATA) {
            stream.onData(frame.data());
        } else if (frame.length() > 0) {
            stream.onWindowUpdate(frame.length());
        }
        if (frame.hasFlag(YamuxFrame.RST)) {
            stream.onRemoteReset();
        } else if (frame.hasFlag(YamuxFrame.FIN)) {
            stream.onRemoteFin();
        }
    }

    private YamuxStreamChannel acceptStream(int id, YamuxStreamChannel existing) {
        boolean peerIdParity = (id & 1) == (client ? 0 : 1);
        if (!peerIdParity) {
            throw new YamuxProtocolException("peer opened stream " + Integer.toUnsignedString(id) + " with our id parity");
        }
        if (existing != null) {
            throw new YamuxProtocolException("duplicate SYN for stream " + Integer.toUnsignedString(id));
        }
        if (goAwaySent || streams.size() >= maxStreams) {
            LOG.debug("{}: refusing stream {} ({} streams open)", ctx.channel(), Integer.toUnsignedString(id), streams.size());
            sendFlags(id, YamuxFrame.RST);
            flush();
            return null;
        }
        YamuxStreamChannel stream = new YamuxStreamChannel(this, ctx.channel(), id, false);
        streams.put(id, stream);
        sendFlags(id, YamuxFrame.ACK);
        flush();
        try {
            inboundInitializer.accept(stream);
        } catch (RuntimeException e) {
            LOG.warn("{}: inbound stream initializer failed: {}", ctx.channel(), e.toString());
        }
        ctx.channel().eventLoop().register(stream);
        return stream;
    }

    private void onPing(YamuxFrame frame) {
        if (frame.streamId() != 0) {
            throw new YamuxProtocolException("ping on stream " + Integer.toUnsignedString(frame.streamId()));
        }
        if (frame.hasFlag(YamuxFrame.SYN)) {
            ctx.writeAndFlush(YamuxFrame.ping(YamuxFrame.ACK, frame.length()));
        } else if (frame.hasFlag(YamuxFrame.ACK)) {
            keepalive.onAck(frame.length());
        }
    }

    private void onGoAway(YamuxFrame frame) {
        if (frame.streamId() != 0) {
            throw new YamuxProtocolException("go away on stream " + Integer.toUnsignedString(frame.streamId()));
        }
        goAwayReceived = true;
        if (frame.length() != YamuxFrame.GO_AWAY_NORMAL) {
            LOG.info("{}: peer sent go away with error code {}", ctx.channel(), frame.length());
        }
        if (streams.isEmpty()) {
            ctx.close();
        }
    }

    private void protocolError(String reason) {
        LOG.warn("{}: yamux protocol error, closing connection: {}", ctx.channel(), reason);
        goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof YamuxProtocolException) {
            protocolError(root.getMessage());
        } else {
            LOG.warn("{}: closing connection after error: {}", ctx.channel(), root.toString());
            ctx.close();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            for (YamuxStreamChannel stream : new ArrayList<>(streams.values())) {
                stream.resumeWrites();
            }
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        keepalive.stop();
        List<YamuxStreamChannel> open = new ArrayList<>(streams.values());
        streams.clear();
        for (YamuxStreamChannel stream : open) {
            stream.onSessionClosed();
        }
        super.channelInactive(ctx);
    }

    // ---- services for YamuxStreamChannel (event loop only) ----

    boolean isConnectionWritable() {
        return ctx.channel().isWritable();
    }

    void write(YamuxFrame frame) {
        ctx.write(frame, ctx.voidPromise());
    }

    void flush() {
        ctx.flush();
    }

    void sendFlags(int id, int flags) {
        if (ctx.channel().isActive()) {
            write(YamuxFrame.windowUpdate(id, flags, 0));
        }
    }

    void sendWindowUpdate(int id, int delta) {
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(YamuxFrame.windowUpdate(id, 0, delta), ctx.voidPromise());
        }
    }

    /** A frame broke the rules of {@code stream}: reset it, keep the session. */
    void streamViolation(YamuxStreamChannel stream, String reason) {
        LOG.info("{}: resetting {}: {}", ctx.channel(), stream, reason);
        stream.reset();
    }

    /** The stream channel closed locally; send FIN if still owed and forget it once the peer is done too. */
    void onStreamChannelClosed(YamuxStreamChannel stream, boolean finOwed) {
        if (finOwed) {
            sendFlags(stream.streamId(), YamuxFrame.FIN);
            flush();
        }
        if (stream.isFullyClosed() || !ctx.channel().isActive()) {
            forget(stream);
            return;
        }
        ctx.executor().schedule(() -> {
            if (streams.get(stream.streamId()) == stream) {
                LOG.debug("{}: peer did not close {} within {} ms, resetting", ctx.channel(), stream, CLOSE_TIMEOUT.toMillis());
                sendFlags(stream.streamId(), YamuxFrame.RST);
                flush();
                forget(stream);
            }
        }, CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    void forget(YamuxStreamChannel stream) {
        if (streams.remove(stream.streamId(), stream)) {
            if (stream.isInitiator() && !stream.acknowledged) {
                stream.acknowledged = true;
                ackBacklog--;
            }
            if (goAwayReceived && streams.isEmpty()) {
                ctx.close();
            }
        }
    }
}
