package io.omnipeer.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PrivateKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secures a connection with libp2p Noise. Added to a pipeline (after multistream-select agreed on
 * {@value Libp2pNoiseHandshake#PROTOCOL_ID}), it inserts a 2-byte length-prefix frame decoder before itself,
 * runs the XX handshake as soon as the channel is active, fires {@link SecureChannelEstablished} and then
 * passes decrypted plaintext {@link ByteBuf}s to the next inbound handler and encrypts outbound ByteBufs,
 * split into frames of at most {@link NoiseSession#MAX_PLAINTEXT} plaintext bytes.
 * Spec: libp2p/specs noise/README.md.
 *
 * <p>Writes issued before the handshake completes are queued (at most {@link #MAX_PENDING_WRITE_BYTES}) and sent
 * once it does. A handshake that fails, does not finish within {@link #HANDSHAKE_TIMEOUT}, or a frame that
 * fails to decrypt closes the connection with a logged reason. One instance per channel; event-loop confined.
 */
public final class NoiseHandler extends ChannelDuplexHandler {
    /** Bound on the whole handshake; go-libp2p and js-libp2p use comparable upgrade timeouts. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Cap on plaintext written by upper layers before the handshake completes. */
    public static final int MAX_PENDING_WRITE_BYTES = 4 * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(NoiseHandler.class);
    private static final int LENGTH_PREFIX = 2;

    private final Libp2pNoiseHandshake handshake;
    private final boolean initiator;
    private final Duration handshakeTimeout;
    private final CompletableFuture<SecureChannelEstablished> established = new CompletableFuture<>();
    private final ArrayDeque<PendingWrite> pending = new ArrayDeque<>();
    private long pendingBytes;
    private NoiseSession session;
    private ScheduledFuture<?> timeout;
    private boolean started;
    private boolean failed;
    private String frameDecoderName;

    private record PendingWrite(ByteBuf data, ChannelPromise promise) {
    }

    /**
     * @param localIdentity  the local libp2p identity key (signs the per-connection static Noise key)
     * @param initiator      true on the dialling side
     * @param expectedRemote the peer the dialler expects; the connection is closed if the remote proves another
     */
    public NoiseHandler(PrivateKey localIdentity, boolean initiator, Optional<PeerId> expectedRemote) {
        this(localIdentity, initiator, expectedRemote, HANDSHAKE_TIMEOUT);
    }

    NoiseHandler(PrivateKey localIdentity, boolean initiator, Optional<PeerId> expectedRemote, Duration handshakeTimeout) {
        this.handshake = new Libp2pNoiseHandshake(localIdentity, initiator, expectedRemote);
        this.initiator = initiator;
        this.handshakeTimeout = handshakeTimeout;
    }

    /** Completes with the authenticated remote, or exceptionally when the handshake fails or the channel closes. */
    public CompletableFuture<SecureChannelEstablished> handshakeFuture() {
        return established;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        frameDecoderName = ctx.name() + "#frames";
        ctx.pipeline().addBefore(ctx.name(), frameDecoderName,
                new LengthFieldBasedFrameDecoder(LENGTH_PREFIX + NoiseSession.MAX_FRAME, 0, LENGTH_PREFIX, 0, LENGTH_PREFIX));
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start(ctx);
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        timeout = ctx.executor().schedule(() -> {
            if (session == null) {
                fail(ctx, new NoiseException("handshake not finished within " + handshakeTimeout.toMillis() + " ms"));
            }
        }, handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            handshake.start().ifPresent(m -> writeHandshakeMessage(ctx, m));
            ctx.flush();
        } catch (RuntimeException e) {
            fail(ctx, e);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (failed) {
                return;
            }
            if (session != null) {
                ctx.fireChannelRead(session.decrypt(ctx.alloc(), frame));
            } else if (!established.isDone()) {
                onHandshakeMessage(ctx, ByteBufUtil.getBytes(frame));
            }
        } catch (RuntimeException e) {
            fail(ctx, e);
        } finally {
            frame.release();
        }
    }

    private void onHandshakeMessage(ChannelHandlerContext ctx, byte[] message) {
        handshake.onMessage(message).ifPresent(m -> writeHandshakeMessage(ctx, m));
        if (!handshake.isComplete()) {
            ctx.flush();
            return;
        }
        CipherState[] c = handshake.split();
        session = new NoiseSession(c[0], c[1]);
        timeout.cancel(false);
        SecureChannelEstablished result = handshake.result();
        LOG.debug("Noise handshake done with {} ({})", result.remotePeer(), initiator ? "initiator" : "responder");
        while (!pending.isEmpty()) {
            PendingWrite w = pending.poll();
            writeEncrypted(ctx, w.data(), w.promise());
        }
        pendingBytes = 0;
        ctx.flush();
        established.complete(result);
        ctx.fireUserEventTriggered(result);
    }

    private void writeHandshakeMessage(ChannelHandlerContext ctx, byte[] message) {
        ByteBuf out = ctx.alloc().buffer(LENGTH_PREFIX + message.length);
        out.writeShort(message.length).writeBytes(message);
        ctx.write(out);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf data)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalArgumentException("NoiseHandler writes ByteBufs only, got " + msg.getClass().getName()));
            return;
        }
        if (session != null && !failed) {
            writeEncrypted(ctx, data, promise);
        } else if (failed || established.isDone() || pendingBytes + data.readableBytes() > MAX_PENDING_WRITE_BYTES) {
            data.release();
            promise.setFailure(new NoiseException(failed || established.isDone() ? "Noise channel failed"
                    : "more than " + MAX_PENDING_WRITE_BYTES + " bytes written before the Noise handshake completed"));
        } else {
            pendingBytes += data.readableBytes();
            pending.add(new PendingWrite(data, promise));
        }
    }

    private void writeEncrypted(ChannelHandlerContext ctx, ByteBuf data, ChannelPromise promise) {
        if (!data.isReadable()) {
            ctx.write(data, promise);
            return;
        }
        ByteBuf out;
        try {
            out = session.encrypt(ctx.alloc(), data);
        } catch (RuntimeException e) {
            promise.setFailure(e);
            fail(ctx, e);
            return;
        } finally {
            data.release();
        }
        ctx.write(out, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cleanup(new NoiseException("connection closed during the Noise handshake"));
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cleanup(new NoiseException("NoiseHandler removed"));
        // On channel teardown the pipeline removes every handler itself; only unlink the decoder on a live channel.
        if (ctx.channel().isRegistered() && ctx.pipeline().get(frameDecoderName) != null) {
            ctx.pipeline().remove(frameDecoderName);
        }
    }

    private void fail(ChannelHandlerContext ctx, Throwable cause) {
        if (failed) {
            return;
        }
        failed = true;
        String phase = session == null ? "handshake" : "transport";
        LOG.warn("Noise {} failed on {} ({}): {}; closing", phase, ctx.channel().remoteAddress(),
                initiator ? "initiator" : "responder", cause.getMessage());
        cleanup(cause);
        ctx.close();
    }

    private void cleanup(Throwable cause) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        established.completeExceptionally(cause);
        while (!pending.isEmpty()) {
            PendingWrite w = pending.poll();
            w.data().release();
            w.promise().tryFailure(cause);
        }
        pendingBytes = 0;
    }
}
