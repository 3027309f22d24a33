package io.omnipeer.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.omnipeer.core.Connection;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.Stream;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.HostLimits;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.rcmgr.AppLimits;
import io.omnipeer.rcmgr.ResourceManager;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Accuracy of the resource manager's bandwidth throttle: two hosts in this JVM on loopback (TCP + Noise + yamux), one
 * bulk stream of an app capped at each rate, by the sender's outbound app limit ({@code app-out}), the receiver's
 * inbound app limit ({@code app-in}), the sender's global outbound limit ({@code global-out}) or the receiver's
 * global inbound limit ({@code global-in}). The rate is read
 * at the receiver between two marks (after 1 s worth of warm-up, past the bucket's initial burst), counting the bytes that arrived before each
 * mark's buffer, so that a buffer and the time it is paced for are counted together. Writes
 * {@code throttle.csv}: target KiB/s, limit, round, measured KiB/s, error %.
 */
final class ThrottleBench {
    static final List<String> LIMITS = List.of("app-out", "app-in", "global-out", "global-in");
    private static final int CHUNK = 64 * 1024;
    private static final long TIMEOUT_S = 120;

    private final long[] ratesKiBps;
    private final int rounds;
    private final double seconds;

    ThrottleBench(long[] ratesKiBps, int rounds, double seconds) {
        this.ratesKiBps = ratesKiBps;
        this.rounds = rounds;
        this.seconds = seconds;
    }

    void run(Path csvFile) throws Exception {
        Csv csv = new Csv("target_kibps", "limit", "round", "measured_kibps", "error_pct");
        ResourceManager senderResources = new ResourceManager();
        ResourceManager receiverResources = new ResourceManager();
        DefaultHost sender = host(senderResources);
        DefaultHost receiver = host(receiverResources);
        try {
            Connection c = sender.dial(receiver.listenAddresses().getFirst().withPeerId(receiver.peerId()))
                    .get(10, TimeUnit.SECONDS);
            int n = 0;
            for (int round = 1; round <= rounds; round++) {
                for (long rate : ratesKiBps) {
                    for (String limit : LIMITS) {
                        String app = "bench.throttle" + (++n);
                        String protocol = ResourceManager.APP_PROTOCOL_PREFIX + app + "/bulk/1.0.0";
                        switch (limit) {
                            case "app-out" -> senderResources.setAppLimits(app, new AppLimits(0, rate, 0, 0));
                            case "app-in" -> receiverResources.setAppLimits(app, new AppLimits(rate, 0, 0, 0));
                            case "global-out" -> senderResources.setGlobalBandwidth(0, rate);
                            default -> receiverResources.setGlobalBandwidth(rate, 0);
                        }
                        double measured = measure(c, receiver, protocol, rate * 1024) / 1024;
                        senderResources.setGlobalBandwidth(0, 0);
                        receiverResources.setGlobalBandwidth(0, 0);
                        double error = (measured - rate) * 100.0 / rate;
                        BenchMain.log("throttle %s %d KiB/s: measured %.1f KiB/s (%+.1f%%)", limit, rate, measured, error);
                        csv.add(rate, limit, round, measured, error);
                        csv.write(csvFile);
                    }
                }
            }
        } finally {
            sender.close().get(20, TimeUnit.SECONDS);
            receiver.close().get(20, TimeUnit.SECONDS);
        }
    }

    private static DefaultHost host(ResourceManager resources) throws Exception {
        DefaultHost h = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer/bench",
                HostLimits.DEFAULT, resources);
        h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        return h;
    }

    /** Bytes per second of one paced stream between the marks; the stream is reset afterwards. */
    private double measure(Connection c, DefaultHost receiver, String protocol, long bytesPerSecond) throws Exception {
        // Past the bucket's initial burst: the buffer that crosses mark A must be paid for by refill alone.
        long markA = Math.max(bytesPerSecond, 2L * CHUNK);
        long markB = markA + Math.max((long) (bytesPerSecond * seconds), 6L * CHUNK);
        Sink sink = new Sink(markA, markB);
        receiver.setStreamHandler(protocol, s -> s.channel().pipeline().addLast(sink));
        Stream stream = c.newStream(List.of(protocol), s -> s.channel().pipeline().addLast(new Sender()))
                .get(10, TimeUnit.SECONDS);
        try {
            return sink.rate.get(TIMEOUT_S, TimeUnit.SECONDS);
        } finally {
            stream.reset();
            receiver.removeStreamHandler(protocol);
        }
    }

    /** Writes 64 KiB buffers while the stream is writable, until the stream closes. */
    private static final class Sender extends ChannelInboundHandlerAdapter {
        private final ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[CHUNK]));

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
        }

        private void pump(ChannelHandlerContext ctx) {
            boolean wrote = false;
            while (ctx.channel().isActive() && ctx.channel().isWritable()) {
                ctx.write(chunk.duplicate());
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }
    }

    /** Completes {@link #rate} once {@code markB} bytes arrived. Sharable: one stream per measurement. */
    @io.netty.channel.ChannelHandler.Sharable
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Double> rate = new CompletableFuture<>();
        private final long markA;
        private final long markB;
        private long total;
        private long aNanos;
        private long aTotal;

        Sink(long markA, long markB) {
            this.markA = markA;
            this.markB = markB;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            long now = System.nanoTime();
            long before = total;
            total += buf.readableBytes();
            buf.release();
            if (aNanos == 0 && total >= markA) {
                aNanos = now;
                aTotal = before;
            } else if (aNanos != 0 && total >= markB && !rate.isDone()) {
                rate.complete((before - aTotal) * 1e9 / (now - aNanos));
            }
        }
    }
}
