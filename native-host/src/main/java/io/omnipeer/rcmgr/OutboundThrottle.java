package io.omnipeer.rcmgr;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import io.omnipeer.muxer.yamux.YamuxStreamChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * First outbound handler of every stream: measures sent bytes for the stream's app (or the system) and paces them
 * by the app's and the global outbound token buckets; data is never dropped. Writes are queued here and passed on
 * in chunks of about 1/20 s of the rate while the buckets are out of debt; while anything is queued the channel
 * reports itself unwritable (user-defined writability bit {@link #WRITABILITY_BIT}), so writers that follow
 * {@code isWritable()} pause. Writers that ignore writability make the queue grow as Netty's own outbound buffer
 * would. Nothing is passed on while the stream's own buffer is past its high-water mark (the peer's window or the
 * connection is full): the rate is a ceiling, never banked while the network cannot carry it, and the stream's
 * buffer stays bounded. {@code Stream.closeWrite()} sends FIN only after what is queued here (a write barrier).
 * Queued writes fail
 * with {@link ClosedChannelException} when the stream closes. Event-loop confined.
 */
final class OutboundThrottle extends ChannelDuplexHandler {
    static final String NAME = "rcmgr-out";
    /** Netty user-defined writability index used to hold writers back (1..31). */
    static final int WRITABILITY_BIT = 7;
    /** Bounds on the paced chunk size: 1/20 s of the rate, at least a small frame, at most a yamux frame. */
    static final int MIN_CHUNK = 1024;
    static final int MAX_CHUNK = YamuxStreamChannel.MAX_FRAME_PAYLOAD;
    private static final int CHUNKS_PER_SECOND = 20;

    private record PendingWrite(ByteBuf data, ChannelPromise promise) {
    }

    private final Traffic traffic;
    private final GlobalBandwidth globalLimits;
    private final TokenBucket global;
    private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> resume;

    OutboundThrottle(Traffic traffic, GlobalBandwidth global) {
        this.traffic = traffic;
        this.globalLimits = global;
        this.global = global.out;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        globalLimits.tick();
        if (queue.isEmpty() && traffic.outBucket.rate() == 0 && global.rate() == 0) {
            traffic.out.add(buf.readableBytes());
            ctx.write(msg, promise);
            return;
        }
        queue.add(new PendingWrite(buf, promise));
        drain();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!queue.isEmpty() && belowHighWater()) {
            drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** True unless the stream's own outbound buffer (below us) is past its high-water mark. */
    private boolean belowHighWater() {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        return buffer == null || buffer.totalPendingWriteBytes() < ctx.channel().config().getWriteBufferHighWaterMark();
    }

    private void drain() {
        boolean wrote = false;
        while (!queue.isEmpty() && belowHighWater()) {
            long wait = Math.max(traffic.outBucket.nanosUntilAvailable(), global.nanosUntilAvailable());
            if (wait > 0) {
                if (resume == null) {
                    resume = ctx.executor().schedule(() -> {
                        resume = null;
                        drain();
                    }, wait, TimeUnit.NANOSECONDS);
                }
                break;
            }
            PendingWrite head = queue.peek();
            int readable = head.data().readableBytes();
            int n = Math.min(readable, chunkSize());
            if (n == readable) {
                queue.poll();
                ctx.write(head.data(), head.promise());
            } else {
                ctx.write(head.data().readRetainedSlice(n)).addListener(f -> {
                    if (!f.isSuccess()) {
                        head.promise().tryFailure(f.cause());
                    }
                });
            }
            traffic.out.add(n);
            traffic.outBucket.take(n);
            global.take(n);
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        // While the stream's buffer is the blocker its own writability bit holds writers back; ours must then be
        // clear, or the channel would never turn writable again and tell us (with channelWritabilityChanged).
        setHeldBack(!queue.isEmpty() && belowHighWater());
    }

    /** About 1/20 s at the tightest rate in force. */
    private int chunkSize() {
        long app = traffic.outBucket.rate();
        long g = global.rate();
        long rate = app == 0 ? g : g == 0 ? app : Math.min(app, g);
        if (rate == 0) {
            return MAX_CHUNK;
        }
        return (int) Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, rate / CHUNKS_PER_SECOND));
    }

    private void setHeldBack(boolean held) {
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        if (buffer != null && buffer.getUserDefinedWritability(WRITABILITY_BIT) == held) {
            buffer.setUserDefinedWritability(WRITABILITY_BIT, !held);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        discard();
        ctx.close(promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard();
    }

    private void discard() {
        if (resume != null) {
            resume.cancel(false);
            resume = null;
        }
        PendingWrite p;
        while ((p = queue.poll()) != null) {
            p.data().release();
            p.promise().tryFailure(new ClosedChannelException());
        }
        if (ctx.channel().isOpen()) {
            setHeldBack(false);
        }
    }
}
