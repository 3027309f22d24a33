package io.omnipeer.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NoiseHandler over real loopback TCP connections (Netty server and client in this JVM). */
class NoiseHandlerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final Ed25519PrivateKey serverKey = Ed25519PrivateKey.generate();
    private final Ed25519PrivateKey clientKey = Ed25519PrivateKey.generate();
    private final PeerId serverId = PeerId.fromPublicKey(serverKey.publicKey());
    private final PeerId clientId = PeerId.fromPublicKey(clientKey.publicKey());
    private final BlockingQueue<Channel> serverChannels = new LinkedBlockingQueue<>();
    private EventLoopGroup group;
    private Channel server;

    @BeforeEach
    void setUp() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close().sync();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }

    /** Records the established event and every plaintext byte received. */
    static final class Collector extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        volatile SecureChannelEstablished event;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SecureChannelEstablished e) {
                event = e;
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] data = new byte[buf.readableBytes()];
            buf.readBytes(data);
            buf.release();
            synchronized (received) {
                received.writeBytes(data);
            }
        }

        int size() {
            synchronized (received) {
                return received.size();
            }
        }

        byte[] bytes() {
            synchronized (received) {
                return received.toByteArray();
            }
        }
    }

    /** Re-delivers every inbound buffer as small random slices, like a congested TCP path. */
    static final class Fragmenter extends ChannelInboundHandlerAdapter {
        private final Random random = new Random(42);

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            while (buf.isReadable()) {
                ctx.fireChannelRead(buf.readRetainedSlice(Math.min(buf.readableBytes(), 1 + random.nextInt(7))));
            }
            buf.release();
        }
    }

    /** Flips one bit of the next outbound buffer once armed. */
    static final class Tamperer extends ChannelDuplexHandler {
        volatile boolean armed;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ByteBuf buf = (ByteBuf) msg;
            if (armed && buf.isReadable()) {
                armed = false;
                int last = buf.writerIndex() - 1;
                buf.setByte(last, buf.getByte(last) ^ 0x01);
            }
            ctx.write(msg, promise);
        }
    }

    private InetSocketAddress startServer(Supplier<List<ChannelHandler>> handlers) throws Exception {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        handlers.get().forEach(h -> ch.pipeline().addLast(h));
                        serverChannels.add(ch);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    private Channel connect(InetSocketAddress address, ChannelHandler... handlers) throws Exception {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(handlers);
                    }
                })
                .connect(address).sync().channel();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private void exchangeBothWays(boolean fragmentServerInput) throws Exception {
        Collector serverCollector = new Collector();
        InetSocketAddress address = startServer(() -> fragmentServerInput
                ? List.of(new Fragmenter(), new NoiseHandler(serverKey, false, Optional.empty()), serverCollector)
                : List.of(new NoiseHandler(serverKey, false, Optional.empty()), serverCollector));
        Collector clientCollector = new Collector();
        NoiseHandler clientNoise = new NoiseHandler(clientKey, true, Optional.of(serverId));
        Channel client = connect(address, clientNoise, clientCollector);
        // Written before the handshake completes: queued, then sent right behind message 3.
        byte[] hello = "hello over noise".getBytes(StandardCharsets.UTF_8);
        byte[] clientPayload = random(1024 * 1024, 1);
        client.write(Unpooled.wrappedBuffer(hello));
        client.writeAndFlush(Unpooled.wrappedBuffer(clientPayload));

        assertThat(clientNoise.handshakeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS).remotePeer()).isEqualTo(serverId);
        await().atMost(WAIT).until(() -> clientCollector.event != null && serverCollector.event != null);
        assertThat(clientCollector.event.remotePeer()).isEqualTo(serverId);
        assertThat(serverCollector.event.remotePeer()).isEqualTo(clientId);
        assertThat(serverCollector.event.remoteKey()).isEqualTo(clientKey.publicKey());

        Channel serverSide = serverChannels.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        byte[] serverPayload = random(1024 * 1024 + 3, 2);
        serverSide.writeAndFlush(Unpooled.wrappedBuffer(serverPayload));

        int expected = hello.length + clientPayload.length;
        await().atMost(WAIT).until(() -> serverCollector.size() == expected && clientCollector.size() == serverPayload.length);
        byte[] got = serverCollector.bytes();
        assertThat(new String(got, 0, hello.length, StandardCharsets.UTF_8)).isEqualTo("hello over noise");
        assertThat(java.util.Arrays.copyOfRange(got, hello.length, got.length)).isEqualTo(clientPayload);
        assertThat(clientCollector.bytes()).isEqualTo(serverPayload);
        client.close().sync();
    }

    @Test
    void handshakeThenOneMebibyteEachWay() throws Exception {
        exchangeBothWays(false);
    }

    @Test
    void toleratesTcpFragmentation() throws Exception {
        exchangeBothWays(true);
    }

    @Test
    void wrongExpectedPeerIdClosesConnection() throws Exception {
        InetSocketAddress address = startServer(() -> List.of(new NoiseHandler(serverKey, false, Optional.empty()), new Collector()));
        PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        NoiseHandler clientNoise = new NoiseHandler(clientKey, true, Optional.of(someoneElse));
        Collector clientCollector = new Collector();
        Channel client = connect(address, clientNoise, clientCollector);
        await().atMost(WAIT).until(() -> !client.isActive());
        assertThat(clientNoise.handshakeFuture()).isCompletedExceptionally();
        assertThat(clientNoise.handshakeFuture().exceptionNow()).hasMessageContaining("expected " + someoneElse);
        assertThat(clientCollector.event).isNull();
        Channel serverSide = serverChannels.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> !serverSide.isActive());
    }

    @Test
    void tamperedFrameClosesConnection() throws Exception {
        Collector serverCollector = new Collector();
        InetSocketAddress address = startServer(() -> List.of(new NoiseHandler(serverKey, false, Optional.empty()), serverCollector));
        Tamperer tamperer = new Tamperer();
        NoiseHandler clientNoise = new NoiseHandler(clientKey, true, Optional.of(serverId));
        Channel client = connect(address, tamperer, clientNoise, new Collector());
        clientNoise.handshakeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> serverCollector.event != null);
        tamperer.armed = true;
        client.writeAndFlush(Unpooled.wrappedBuffer("secret".getBytes(StandardCharsets.UTF_8)));
        await().atMost(WAIT).until(() -> !client.isActive());
        assertThat(serverCollector.size()).isZero();
    }

    @Test
    void garbageHandshakeClosesConnection() throws Exception {
        InetSocketAddress address = startServer(() -> List.of(new NoiseHandler(serverKey, false, Optional.empty()), new Collector()));
        Channel raw = connect(address, new ChannelInboundHandlerAdapter());
        raw.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0, 5, 1, 2, 3, 4, 5}));
        await().atMost(WAIT).until(() -> !raw.isActive());
    }

    @Test
    void silentPeerTimesOut() throws Exception {
        InetSocketAddress address = startServer(() -> List.of(
                new NoiseHandler(serverKey, false, Optional.empty(), Duration.ofMillis(300)), new Collector()));
        Channel raw = connect(address, new ChannelInboundHandlerAdapter());
        await().atMost(WAIT).until(() -> !raw.isActive());
    }

    @Test
    void removingTheHandlerRemovesItsFrameDecoder() throws Exception {
        InetSocketAddress address = startServer(() -> List.of(new NoiseHandler(serverKey, false, Optional.empty()), new Collector()));
        NoiseHandler clientNoise = new NoiseHandler(clientKey, true, Optional.of(serverId));
        Channel client = connect(address, clientNoise, new Collector());
        clientNoise.handshakeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(client.pipeline().names()).anyMatch(n -> n.endsWith("#frames"));
        client.eventLoop().submit(() -> client.pipeline().remove(clientNoise)).sync();
        assertThat(client.pipeline().names()).noneMatch(n -> n.endsWith("#frames"));
        assertThat(client.isActive()).isTrue();
        client.close().sync();
    }

    /** Stands in for multistream-select: consumes a 3-byte preamble, then hands the rest of the stream to Noise. */
    static final class Preamble extends ByteToMessageDecoder {
        private final Supplier<NoiseHandler> next;

        Preamble(Supplier<NoiseHandler> next) {
            this.next = next;
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            if (in.readableBytes() < 3) {
                return;
            }
            in.skipBytes(3);
            ctx.pipeline().addAfter(ctx.name(), "noise", next.get());
            ctx.pipeline().remove(this);
        }
    }

    @Test
    void addedToActiveChannelWithBufferedBytes() throws Exception {
        Collector serverCollector = new Collector();
        InetSocketAddress address = startServer(() -> List.of(
                new Preamble(() -> new NoiseHandler(serverKey, false, Optional.empty())), serverCollector));
        Collector clientCollector = new Collector();
        Channel client = connect(address, new ChannelInboundHandlerAdapter(), clientCollector);
        NoiseHandler clientNoise = new NoiseHandler(clientKey, true, Optional.of(serverId));
        client.eventLoop().submit(() -> {
            // preamble and Noise message 1 leave in one flush, so the server reads both together
            client.write(Unpooled.wrappedBuffer("hi\n".getBytes(StandardCharsets.UTF_8)));
            client.pipeline().addBefore(client.pipeline().context(clientCollector).name(), "noise", clientNoise);
        }).sync();
        clientNoise.handshakeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        client.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {42}));
        await().atMost(WAIT).until(() -> serverCollector.size() == 1);
        assertThat(serverCollector.event.remotePeer()).isEqualTo(clientId);
    }
}
