package io.omnipeer.protocol.ping;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.omnipeer.core.Stream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Dialer side of ping on one reused stream: pings run one after another; each sends 32 random bytes and completes
 * with the time until the same bytes come back. A wrong echo, a timeout or the stream closing fails the pending
 * pings and resets the stream. Spec: libp2p/specs ping/ping.md. Event-loop confined apart from {@link #ping()}.
 */
final class PingStream extends ChannelInboundHandlerAdapter {
    /** Pings waiting on one stream; beyond this ping() fails at once. */
    static final int MAX_QUEUED_PINGS = 16;

    private record Pending(CompletableFuture<Duration> result) {
    }

    private final Stream stream;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private ByteBuf received;
    private byte[] expected;
    private long sentAt;
    private ScheduledFuture<?> timeout;

    PingStream(Stream stream) {
        this.stream = stream;
    }

    boolean isOpen() {
        return stream.channel().isActive();
    }

    CompletableFuture<Duration> ping() {
        CompletableFuture<Duration> result = new CompletableFuture<>();
        stream.channel().eventLoop().execute(() -> {
            if (!isOpen()) {
                result.completeExceptionally(new PingException("ping stream closed"));
            } else if (queue.size() >= MAX_QUEUED_PINGS) {
                result.completeExceptionally(new PingException(MAX_QUEUED_PINGS + " pings already pending"));
            } else {
                queue.add(new Pending(result));
                if (queue.size() == 1) {
                    sendNext();
                }
            }
        });
        return result;
    }

    private void sendNext() {
        if (queue.isEmpty()) {
            return;
        }
        expected = new byte[PingService.PAYLOAD_LENGTH];
        ThreadLocalRandom.current().nextBytes(expected);
        received.clear();
        timeout = stream.channel().eventLoop().schedule(() -> fail(new PingException("no echo within "
                + PingService.PING_TIMEOUT.toMillis() + " ms")), PingService.PING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        sentAt = System.nanoTime();
        stream.channel().writeAndFlush(Unpooled.wrappedBuffer(expected));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        received = ctx.alloc().buffer(PingService.PAYLOAD_LENGTH);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (queue.isEmpty() || received.readableBytes() + in.readableBytes() > PingService.PAYLOAD_LENGTH) {
                fail(new PingException("unexpected bytes from the ping peer"));
                return;
            }
            received.writeBytes(in);
        } finally {
            in.release();
        }
        if (received.readableBytes() == PingService.PAYLOAD_LENGTH) {
            long rtt = System.nanoTime() - sentAt;
            byte[] echo = new byte[PingService.PAYLOAD_LENGTH];
            received.readBytes(echo);
            timeout.cancel(false);
            if (!Arrays.equals(echo, expected)) {
                fail(new PingException("ping echo differs from what we sent"));
                return;
            }
            queue.poll().result().complete(Duration.ofNanos(rtt));
            sendNext();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new PingException("ping stream closed"));
        ctx.fireChannelInactive();
    }

    private void fail(PingException e) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.result().completeExceptionally(e);
        }
        stream.reset();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        received.release();
    }
}
