package io.omnipeer.protocol.perf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;
import io.omnipeer.core.Stream;
import java.util.concurrent.TimeUnit;

/**
 * What both ends of a perf stream share: sending a count of zero bytes while the stream is writable, counting
 * what arrives, and a watchdog that fails the run when no byte moved either way for {@link PerfService#STALL_TIMEOUT}.
 * Event-loop confined (one instance per stream).
 */
abstract class PerfStreamHandler extends ChannelInboundHandlerAdapter {
    /**
     * The "predetermined arbitrary set of bytes" of perf.md: zeros, in blocks of {@link PerfService#WRITE_BLOCK_SIZE}
     * (the block js-libp2p and go-libp2p use). Read-only and shared: the layers below only read what we write.
     */
    private static final ByteBuf ZEROS = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[PerfService.WRITE_BLOCK_SIZE]).asReadOnly());

    /**
     * Queue up to a full yamux window (256 KiB) on the stream before backing off, so the muxer always has the next
     * frames at hand when the peer's window update arrives (Netty's default 64 KiB stalls after one block).
     */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 256 * 1024);

    protected final Stream stream;
    private long toSend;
    private boolean sending;
    private long progress;
    private long progressAtLastCheck = -1;
    private ScheduledFuture<?> watchdog;

    PerfStreamHandler(Stream stream) {
        this.stream = stream;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.channel().config().setWriteBufferWaterMark(WATER_MARK);
        long period = PerfService.STALL_TIMEOUT.toMillis();
        watchdog = ctx.executor().scheduleAtFixedRate(() -> {
            if (progress == progressAtLastCheck) {
                onStall(ctx);
            }
            progressAtLastCheck = progress;
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopWatchdog();
    }

    protected final void stopWatchdog() {
        if (watchdog != null) {
            watchdog.cancel(false);
        }
    }

    /** Counts {@code n} bytes received as progress. */
    protected final void received(long n) {
        progress += n;
    }

    /** Starts sending {@code count} zero bytes; {@link #onAllSent} runs once the last block is written. */
    protected final void send(ChannelHandlerContext ctx, long count) {
        toSend = count;
        sending = true;
        sendWhileWritable(ctx);
    }

    private void sendWhileWritable(ChannelHandlerContext ctx) {
        if (!sending) {
            return;
        }
        boolean wrote = false;
        while (toSend > 0 && ctx.channel().isWritable()) {
            int n = (int) Math.min(toSend, PerfService.WRITE_BLOCK_SIZE);
            ctx.write(ZEROS.slice(0, n));
            toSend -= n;
            progress += n;
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (toSend == 0) {
            sending = false;
            onAllSent(ctx);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            sendWhileWritable(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        sending = false;
        stopWatchdog();
        ctx.fireChannelInactive();
    }

    /** The last block has been written (not necessarily sent yet). */
    protected abstract void onAllSent(ChannelHandlerContext ctx);

    /** Nothing moved for {@link PerfService#STALL_TIMEOUT}. */
    protected abstract void onStall(ChannelHandlerContext ctx);
}
