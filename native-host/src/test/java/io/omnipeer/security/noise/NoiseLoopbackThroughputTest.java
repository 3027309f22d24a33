package io.omnipeer.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Prints (does not assert) the MB/s of 64 MiB pushed through two NoiseHandlers over loopback TCP in one JVM
 * (both ends share the machine's cores, so this is a floor for one connection's encrypt+decrypt cost).
 */
class NoiseLoopbackThroughputTest {
    private static final long TOTAL = 64L * 1024 * 1024;
    private static final int CHUNK = 256 * 1024;

    /** Writes CHUNK-sized buffers while the channel is writable until TOTAL bytes are queued. */
    static final class Pump extends ChannelInboundHandlerAdapter {
        private final ByteBuf chunk;
        private long remaining = TOTAL;

        Pump(ByteBuf chunk) {
            this.chunk = chunk;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SecureChannelEstablished) {
                pump(ctx);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump(ctx);
            ctx.fireChannelWritabilityChanged();
        }

        private void pump(ChannelHandlerContext ctx) {
            while (remaining > 0 && ctx.channel().isWritable()) {
                ctx.write(chunk.retainedDuplicate());
                remaining -= CHUNK;
            }
            ctx.flush();
        }
    }

    @Test
    void printLoopbackThroughput() throws Exception {
        for (String round : new String[] {"cold JVM", "warm"}) {
            transfer(round);
        }
    }

    private void transfer(String round) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        Ed25519PrivateKey serverKey = Ed25519PrivateKey.generate();
        AtomicLong received = new AtomicLong();
        AtomicLong firstByteNanos = new AtomicLong();
        AtomicLong lastByteNanos = new AtomicLong();
        byte[] data = new byte[CHUNK];
        new Random(3).nextBytes(data);
        ByteBuf chunk = Unpooled.wrappedBuffer(data);
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new NoiseHandler(serverKey, false, Optional.empty()), new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ByteBuf buf = (ByteBuf) msg;
                                    firstByteNanos.compareAndSet(0, System.nanoTime());
                                    if (received.addAndGet(buf.readableBytes()) == TOTAL) {
                                        lastByteNanos.set(System.nanoTime());
                                    }
                                    buf.release();
                                }
                            });
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new NoiseHandler(Ed25519PrivateKey.generate(), true,
                                    Optional.of(PeerId.fromPublicKey(serverKey.publicKey()))), new Pump(chunk));
                        }
                    })
                    .connect((InetSocketAddress) server.localAddress()).sync().channel();
            await().atMost(Duration.ofMinutes(2)).until(() -> lastByteNanos.get() != 0);
            assertThat(received.get()).isEqualTo(TOTAL);
            double seconds = (lastByteNanos.get() - firstByteNanos.get()) / 1e9;
            System.out.printf("Noise over loopback TCP, one connection, both ends in one JVM (%s): %.0f MB/s (%d MiB in %.2f s)%n",
                    round, TOTAL / 1e6 / seconds, TOTAL >> 20, seconds);
            client.close().sync();
            server.close().sync();
        } finally {
            chunk.release();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
        }
    }
}
