package io.omnipeer.muxer.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Two yamux sessions over real loopback TCP. libp2p/specs yamux/README.md, "Message Flow" and "Flow Control". */
class YamuxSessionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Echoes every byte and half-closes after the peer's FIN. */
    static final class EchoUntilFin extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                ((YamuxStreamChannel) ctx.channel()).closeWrite();
            }
        }
    }

    /** Collects bytes until FIN. */
    static final class Collector extends ChannelInboundHandlerAdapter {
        final ByteBuf received = Unpooled.buffer();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            received.writeBytes(buf);
            buf.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                done.complete(ByteBufUtilBytes.of(received));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IllegalStateException("closed before FIN"));
        }
    }

    static final class ByteBufUtilBytes {
        static byte[] of(ByteBuf buf) {
            byte[] b = new byte[buf.readableBytes()];
            buf.getBytes(buf.readerIndex(), b);
            return b;
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void streamEchoesAndHalfClosesInBothDirections() throws Exception {
        try (YamuxLoopback net = new YamuxLoopback(YamuxSession.DEFAULT_MAX_STREAMS, s -> s.pipeline().addLast(new EchoUntilFin()))) {
            YamuxSession dialer = net.dial(s -> { });
            Collector collector = new Collector();
            YamuxStreamChannel stream = dialer.openStream(s -> s.pipeline().addLast(collector)).get(10, TimeUnit.SECONDS);
            assertThat(stream.streamId()).isEqualTo(1);
            stream.writeAndFlush(Unpooled.copiedBuffer("hello yamux", StandardCharsets.UTF_8));
            stream.closeWrite().syncUninterruptibly();
            assertThat(new String(collector.done.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8)).isEqualTo("hello yamux");
            assertThat(stream.closeFuture().awaitUninterruptibly(10_000)).isTrue();
            YamuxSession listener = net.listenerSession.get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> onLoop(net, dialer::streamCount) == 0 && onLoop(net, listener::streamCount) == 0);
        }
    }

    private static int onLoop(YamuxLoopback net, java.util.concurrent.Callable<Integer> c) throws Exception {
        return net.client.eventLoop().submit(c).get() + 0;
    }

    @Test
    void slowReaderBoundsTheWriterByTheWindowAndNothingIsLost() throws Exception {
        int total = 4 * 1024 * 1024;
        byte[] payload = random(total, 1);
        AtomicInteger maxQueued = new AtomicInteger();
        AtomicInteger maxReceiveWindowUse = new AtomicInteger();
        CompletableFuture<byte[]> digest = new CompletableFuture<>();
        try (YamuxLoopback net = new YamuxLoopback(YamuxSession.DEFAULT_MAX_STREAMS, s -> {
            s.config().setAutoRead(false);
            s.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                final MessageDigest sha = sha256();
                int received;

                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    scheduleRead(ctx);
                }

                private void scheduleRead(ChannelHandlerContext ctx) {
                    // Slow reader: one read per 2 ms, so the sender outpaces it and must wait for window.
                    ctx.executor().schedule(() -> {
                        YamuxStreamChannel ch = (YamuxStreamChannel) ctx.channel();
                        maxQueued.accumulateAndGet(ch.queuedInboundBytes(), Math::max);
                        maxReceiveWindowUse.accumulateAndGet((int) (YamuxSession.INITIAL_WINDOW - ch.receiveWindow()), Math::max);
                        ctx.read();
                        if (ctx.channel().isOpen() && !digest.isDone()) {
                            scheduleRead(ctx);
                        }
                    }, 2, TimeUnit.MILLISECONDS);
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ByteBuf buf = (ByteBuf) msg;
                    received += buf.readableBytes();
                    byte[] b = new byte[buf.readableBytes()];
                    buf.readBytes(b);
                    sha.update(b);
                    buf.release();
                }

                @Override
                public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                    if (evt == ChannelInputShutdownEvent.INSTANCE) {
                        digest.complete(received == total ? sha.digest() : new byte[0]);
                    }
                }
            });
        })) {
            YamuxSession dialer = net.dial(s -> { });
            YamuxStreamChannel stream = dialer.openStream(s -> { }).get(10, TimeUnit.SECONDS);
            AtomicBoolean sawUnwritable = new AtomicBoolean();
            stream.eventLoop().submit(() -> {
                for (int off = 0; off < total; off += 16 * 1024) {
                    stream.write(Unpooled.wrappedBuffer(payload, off, 16 * 1024));
                    if (!stream.isWritable()) {
                        sawUnwritable.set(true);
                    }
                }
                stream.flush();
                assertThat(stream.sendWindow()).isBetween(0L, (long) YamuxSession.INITIAL_WINDOW);
            }).get(10, TimeUnit.SECONDS);
            stream.closeWrite();
            assertThat(digest.get(60, TimeUnit.SECONDS)).isEqualTo(sha256().digest(payload));
            assertThat(sawUnwritable).isTrue();
            assertThat(maxQueued.get()).isPositive().isLessThanOrEqualTo(YamuxSession.INITIAL_WINDOW);
            assertThat(maxReceiveWindowUse.get()).isLessThanOrEqualTo(YamuxSession.INITIAL_WINDOW);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void hundredsOfStreamsInBothDirectionsAtOnce() throws Exception {
        int perSide = 150;
        try (YamuxLoopback net = new YamuxLoopback(YamuxSession.DEFAULT_MAX_STREAMS, s -> s.pipeline().addLast(new EchoUntilFin()))) {
            YamuxSession dialer = net.dial(s -> s.pipeline().addLast(new EchoUntilFin()));
            YamuxSession listener = net.listenerSession.get(10, TimeUnit.SECONDS);
            List<CompletableFuture<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < perSide; i++) {
                for (YamuxSession side : List.of(dialer, listener)) {
                    byte[] payload = random(20_000 + i, i);
                    Collector collector = new Collector();
                    results.add(side.openStream(s -> s.pipeline().addLast(collector)).thenCompose(s -> {
                        s.writeAndFlush(Unpooled.wrappedBuffer(payload));
                        s.closeWrite();
                        return collector.done;
                    }).thenApply(echo -> java.util.Arrays.equals(echo, payload)));
                }
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(results).allSatisfy(r -> assertThat(r.join()).isTrue());
            await().atMost(WAIT).until(() -> onLoop(net, dialer::streamCount) == 0 && onLoop(net, listener::streamCount) == 0);
        }
    }

    @Test
    void largeEchoKeepsEveryByteInOrder() throws Exception {
        byte[] payload = random(16 * 1024 * 1024, 3);
        try (YamuxLoopback net = new YamuxLoopback(YamuxSession.DEFAULT_MAX_STREAMS, s -> s.pipeline().addLast(new EchoUntilFin()))) {
            YamuxSession dialer = net.dial(s -> { });
            Collector collector = new Collector();
            YamuxStreamChannel stream = dialer.openStream(s -> s.pipeline().addLast(collector)).get(10, TimeUnit.SECONDS);
            long start = System.nanoTime();
            stream.writeAndFlush(Unpooled.wrappedBuffer(payload));
            stream.closeWrite();
            byte[] back = collector.done.get(60, TimeUnit.SECONDS);
            System.out.printf("FIGURE echo of 16 MiB over one plain yamux stream: %.1f MiB/s each way%n", 16 / ((System.nanoTime() - start) / 1e9));
            assertThat(java.util.Arrays.mismatch(back, payload)).as("first difference, %d bytes back", back.length).isEqualTo(-1);
        }
    }

    @Test
    void resetReachesThePeerAndClosesOnlyThatStream() throws Exception {
        CompletableFuture<YamuxStreamChannel> inbound = new CompletableFuture<>();
        try (YamuxLoopback net = new YamuxLoopback(YamuxSession.DEFAULT_MAX_STREAMS, inbound::complete)) {
            YamuxSession dialer = net.dial(s -> { });
            YamuxStreamChannel a = dialer.openStream(s -> { }).get(10, TimeUnit.SECONDS);
            a.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
            YamuxStreamChannel remoteA = inbound.get(10, TimeUnit.SECONDS);
            a.reset();
            assertThat(remoteA.closeFuture().awaitUninterruptibly(10_000)).isTrue();
            Collector collector = new Collector();
            YamuxStreamChannel b = dialer.openStream(s -> s.pipeline().addLast(collector)).get(10, TimeUnit.SECONDS);
            assertThat(b.streamId()).isEqualTo(3);
            assertThat(net.client.isActive()).isTrue();
        }
    }

    @Test
    void closingTheSessionClosesEveryStream() throws Exception {
        try (YamuxLoopback net = new YamuxLoopback(YamuxSession.DEFAULT_MAX_STREAMS, s -> { })) {
            YamuxSession dialer = net.dial(s -> { });
            YamuxStreamChannel a = dialer.openStream(s -> { }).get(10, TimeUnit.SECONDS);
            YamuxSession listener = net.listenerSession.get(10, TimeUnit.SECONDS);
            listener.close().get(10, TimeUnit.SECONDS);
            assertThat(a.closeFuture().awaitUninterruptibly(10_000)).isTrue();
            assertThat(net.client.closeFuture().awaitUninterruptibly(10_000)).isTrue();
        }
    }

}
