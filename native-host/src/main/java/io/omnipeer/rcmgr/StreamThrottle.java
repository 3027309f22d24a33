package io.omnipeer.rcmgr;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import io.omnipeer.muxer.yamux.YamuxStreamChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * First handler of every stream pipeline: measures the stream's bytes for its app (or the system) and throttles
 * them to the app's and the global token buckets, never dropping data.
 * <ul>
 *   <li>Inbound: each received buffer is taken from the buckets; while they are in debt the stream stops reading
 *       ({@link YamuxStreamChannel#suspendReading()}), so unread bytes are not credited back and the sender stalls
 *       once our receive window is used up (libp2p/specs yamux/README.md, "Flow Control").</li>
 *   <li>Outbound: writes are queued here and passed on in chunks of about 1/20 s of the rate while the buckets
 *       are out of debt; while anything is queued the channel reports itself unwritable (user-defined
 *       writability bit {@link #WRITABILITY_BIT}), so writers that follow {@code isWritable()} pause.</li>
 * </ul>
 * Writers that ignore writability make the queue grow as Netty's own outbound buffer would. Queued writes fail
 * with {@link ClosedChannelException} when the stream closes. Event-loop confined.
 */
final class StreamThrottle extends ChannelDuplexHandler {
    static final String NAME = "rcmgr-throttle";
    /** Netty user-defined writability index used to hold writers back (1..31; 0 is free for others). */
    static final int WRITABILITY_BIT = 7;
    /** Bounds on the paced chunk size: 1/20 s of the rate, at least a small frame, at most a yamux frame. */
    static final int MIN_CHUNK = 1024;
    static final int MAX_CHUNK = YamuxStreamChannel.MAX_FRAME_PAYLOAD;
    private static final int CHUNKS_PER_SECOND = 20;

    private record PendingWrite(ByteBuf data, ChannelPromise promise) {
    }

    private final Traffic traffic;
    private final TokenBucket globalIn;
    private final TokenBucket globalOut;
    private final ArrayDeque<PendingWrite> queue = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean readSuspended;
    private ScheduledFuture<?> readResume;
    private ScheduledFuture<?> writeResume;

    StreamThrottle(Traffic traffic, TokenBucket globalIn, TokenBucket globalOut) {
        this.traffic = traffic;
        this.globalIn = globalIn;
        this.globalOut = globalOut;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf && buf.isReadable()) {
            int n = buf.readableBytes();
            traffic.in.add(n);
            long wait = Math.max(traffic.inBucket.take(n), globalIn.take(n));
            if (wait > 0) {
                suspendReading(wait);
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void suspendReading(long nanos) {
        if (!readSuspended) {
            readSuspended = true;
            if (ctx.channel() instanceof YamuxStreamChannel stream) {
                stream.suspendReading();
            } else {
                ctx.channel().config().setAutoRead(false);
            }
        }
        if (readResume == null) {
            readResume = ctx.executor().schedule(this::maybeResumeReading, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void maybeResumeReading() {
        readResume = null;
        if (!readSuspended || ctx.isRemoved()) {
            return;
        }
        long wait = Math.max(traffic.inBucket.nanosUntilAvailable(), globalIn.nanosUntilAvailable());
        if (wait > 0) {
            readResume = ctx.executor().schedule(this::maybeResumeReading, wait, TimeUnit.NANOSECONDS);
            return;
        }
        resumeReading();
    }

    private void resumeReading() {
        readSuspended = false;
        if (ctx.channel() instanceof YamuxStreamChannel stream) {
            stream.resumeReading();
        } else {
            ctx.channel().config().setAutoRead(true);
        }
    }

    // ---- outbound ----

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.write(msg, promise);
            return;
        }
        if (queue.isEmpty() && outboundUnlimited()) {
            traffic.out.add(buf.readableBytes());
            ctx.write(msg, promise);
            return;
        }
        queue.add(new PendingWrite(buf, promise));
        drainWrites();
    }

    private boolean outboundUnlimited() {
        return traffic.outBucket.rate() == 0 && globalOut.rate() == 0;
    }

    private void drainWrites() {
        boolean wrote = false;
        while (!queue.isEmpty()) {
            long wait = Math.max(traffic.outBucket.nanosUntilAvailable(), globalOut.nanosUntilAvailable());
            if (wait > 0) {
                if (writeResume == null) {
                    writeResume = ctx.executor().schedule(() -> {
                        writeResume = null;
                        drainWrites();
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
            globalOut.take(n);
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        setHeldBack(!queue.isEmpty());
    }

    /** About 1/20 s at the tightest rate in force. */
    private int chunkSize() {
        long app = traffic.outBucket.rate();
        long global = globalOut.rate();
        long rate = app == 0 ? global : global == 0 ? app : Math.min(app, global);
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

    // ---- teardown ----

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        discard();
        if (readSuspended) {
            resumeReading();
        }
    }

    private void discard() {
        if (readResume != null) {
            readResume.cancel(false);
            readResume = null;
        }
        if (writeResume != null) {
            writeResume.cancel(false);
            writeResume = null;
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
