package io.omnipeer.rcmgr;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.core.Stream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/** Bulk transfer handlers: a sender of a byte pattern that follows writability, and a sink that checks and times it. */
final class Bulk {
    static final int CHUNK = 64 * 1024;
    static final int MAX_POINTS = 100_000;

    private Bulk() {
    }

    static byte patternByte(long index) {
        return (byte) (index % 251);
    }

    /** Writes {@code total} pattern bytes while the channel is writable, then half-closes. */
    static final class Sender extends ChannelInboundHandlerAdapter {
        private final Stream stream;
        private final long total;
        private long sent;
        private boolean finished;

        Sender(Stream stream, long total) {
            this.stream = stream;
            this.total = total;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (sent < total && ctx.channel().isWritable()) {
                int n = (int) Math.min(CHUNK, total - sent);
                ByteBuf buf = Unpooled.buffer(n);
                for (int i = 0; i < n; i++) {
                    buf.writeByte(patternByte(sent + i));
                }
                sent += n;
                ctx.write(buf);
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
            if (sent >= total && !finished) {
                finished = true;
                stream.closeWrite();
            }
        }
    }

    /**
     * Counts (and checks) what arrives; records when the count first reaches {@code markA} and {@code markB} bytes,
     * and completes {@link #done} with the total at FIN.
     */
    static final class Sink extends ChannelInboundHandlerAdapter {
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Long> done = new CompletableFuture<>();
        private final long markA;
        private final long markB;
        volatile long firstNanos;
        volatile long lastNanos;
        volatile long markANanos;
        volatile long markBNanos;
        volatile long markATotal;
        volatile long markBTotal;
        volatile long mismatchAt = -1;
        /** (time, bytes before the buffer) of each buffer from mark A to mark B, for {@link #markedRate()}. */
        private final long[] pointNanos = new long[MAX_POINTS];
        private final long[] pointBytes = new long[MAX_POINTS];
        private volatile int points;

        Sink(long markA, long markB) {
            this.markA = markA;
            this.markB = markB;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            long now = System.nanoTime();
            if (firstNanos == 0) {
                firstNanos = now;
            }
            long base = received.get();
            for (int i = buf.readerIndex(); i < buf.writerIndex() && mismatchAt < 0; i++) {
                if (buf.getByte(i) != patternByte(base + i - buf.readerIndex())) {
                    mismatchAt = base + i - buf.readerIndex();
                }
            }
            long total = received.addAndGet(buf.readableBytes());
            buf.release();
            lastNanos = now;
            if (markANanos == 0 && total >= markA) {
                markANanos = now;
                markATotal = total;
            }
            if (markANanos != 0 && markBNanos == 0 && points < MAX_POINTS) {
                pointNanos[points] = now;
                pointBytes[points] = base;
                points++;
            }
            if (markBNanos == 0 && total >= markB) {
                markBNanos = now;
                markBTotal = total;
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                done.complete(received.get());
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.complete(received.get());
        }

        /**
         * Bytes per second between the two marks: the least-squares slope of bytes over time of every buffer from
         * one to the other, each taken with the bytes before it (a paced buffer arrives at the start of its time),
         * so that one late buffer at either mark (an event loop stalled on a loaded machine) does not set the figure.
         */
        double markedRate() {
            int n = points;
            double mt = 0;
            double mb = 0;
            for (int i = 0; i < n; i++) {
                mt += (pointNanos[i] - pointNanos[0]) / 1e9;
                mb += pointBytes[i];
            }
            mt /= n;
            mb /= n;
            double cov = 0;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double dt = (pointNanos[i] - pointNanos[0]) / 1e9 - mt;
                cov += dt * (pointBytes[i] - mb);
                var += dt * dt;
            }
            return cov / var;
        }

        /** Bytes per second from first to last byte. */
        double overallRate() {
            return received.get() * 1e9 / Math.max(1, lastNanos - firstNanos);
        }
    }
}
