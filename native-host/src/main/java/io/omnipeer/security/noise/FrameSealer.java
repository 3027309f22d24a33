package io.omnipeer.security.noise;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.ArrayList;
import java.util.List;

/**
 * Write coalescing for the Noise transport phase: plaintext written between two flushes is gathered into Noise
 * transport messages of up to {@link NoiseSession#MAX_PLAINTEXT} bytes, each sealed in place when it is full or at
 * the flush. A yamux Data frame (its 12-byte header, then its payload, written as two buffers) and the small frames
 * written in one event-loop turn (window updates, pings, acks) thus cost one AEAD call and one 18-byte overhead
 * together instead of one each. Plaintext is copied once, straight into the buffer that goes to the socket.
 * Spec: libp2p/specs noise/README.md, "Wire Format" (message boundaries carry no meaning for the layers above).
 *
 * <p>A write's promise completes with the write of the message holding its last byte. Not thread-safe: one
 * connection's event loop.
 */
final class FrameSealer {
    /** First allocation when gathering starts with a small write: room for a batch of small frames. */
    private static final int INITIAL_PLAINTEXT = 4096;
    private final NoiseSession session;
    /** Reserved length prefix, then plaintext gathered so far; null when nothing is pending. */
    private ByteBuf frame;
    private final List<ChannelPromise> promises = new ArrayList<>(4);

    FrameSealer(NoiseSession session) {
        this.session = session;
    }

    /** Gathers all readable bytes of {@code data} (released here), sealing full messages as it goes. */
    void write(ChannelHandlerContext ctx, ByteBuf data, ChannelPromise promise) {
        try {
            while (data.isReadable()) {
                if (frame != null && plaintextLength() == NoiseSession.MAX_PLAINTEXT) {
                    seal(ctx);
                }
                if (frame == null) {
                    // Sized for what is known so far, growing (by doubling) up to one full message when more comes.
                    int want = NoiseSession.LENGTH_PREFIX + Math.max(INITIAL_PLAINTEXT, data.readableBytes())
                            + CipherState.TAG_LENGTH;
                    frame = ctx.alloc().heapBuffer(Math.min(want, NoiseSession.MAX_WIRE_FRAME), NoiseSession.MAX_WIRE_FRAME);
                    frame.writerIndex(NoiseSession.LENGTH_PREFIX);
                }
                int n = Math.min(data.readableBytes(), NoiseSession.MAX_PLAINTEXT - plaintextLength());
                frame.writeBytes(data, n);
            }
        } finally {
            data.release();
        }
        if (frame == null) {
            // An empty write with nothing pending: complete it in order with the writes before it.
            ctx.write(Unpooled.EMPTY_BUFFER, promise);
        } else if (!promise.isVoid()) {
            promises.add(promise);
        }
    }

    /** Seals and writes (without flushing) the message being gathered, if any. */
    void flush(ChannelHandlerContext ctx) {
        if (frame != null) {
            seal(ctx);
        }
    }

    /** Drops what is pending: releases the buffer and fails the promises waiting for it. */
    void discard(Throwable cause) {
        if (frame != null) {
            frame.release();
            frame = null;
        }
        promises.forEach(p -> p.tryFailure(cause));
        promises.clear();
    }

    private int plaintextLength() {
        return frame.writerIndex() - NoiseSession.LENGTH_PREFIX;
    }

    private void seal(ChannelHandlerContext ctx) {
        ByteBuf sealed = frame;
        frame = null;
        try {
            session.sealInPlace(sealed);
        } catch (RuntimeException e) {
            sealed.release();
            discard(e);
            throw e;
        }
        if (promises.isEmpty()) {
            ctx.write(sealed, ctx.voidPromise());
            return;
        }
        List<ChannelPromise> waiting = List.copyOf(promises);
        promises.clear();
        ctx.write(sealed).addListener(f -> {
            for (ChannelPromise p : waiting) {
                if (f.isSuccess()) {
                    p.trySuccess();
                } else {
                    p.tryFailure(f.cause());
                }
            }
        });
    }
}
