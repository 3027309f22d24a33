package io.omnipeer.e2e.interop;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.crypto.PrivateKey;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.muxer.yamux.YamuxSession;
import io.omnipeer.muxer.yamux.YamuxStreamChannel;
import io.omnipeer.negotiation.multistream.MultistreamHandler;
import io.omnipeer.security.noise.NoiseHandler;
import io.omnipeer.security.noise.SecureChannelEstablished;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection upgrade (multistream-select → /noise → multistream-select → /yamux/1.0.0) of our
 * negotiation, security and muxer layers against js-libp2p, in both directions, without our host:
 * a yamux stream carrying /ipfs/ping/1.0.0 each way proves the whole stack below the host.
 */
class UpgradeInteropTest {

    static final String NOISE = "/noise";
    static final String YAMUX = "/yamux/1.0.0";
    static final String PING = "/ipfs/ping/1.0.0";
    /** libp2p/specs ping/ping.md: the payload is 32 random bytes, echoed back. */
    static final int PING_SIZE = 32;
    static JsPeer js;
    static EventLoopGroup group;
    final PrivateKey key = Ed25519PrivateKey.generate();

    @BeforeAll
    static void start() throws Exception {
        js = JsPeer.start();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        if (js != null) js.close();
        if (group != null) group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    @Test
    void weDialJsAndAgreeOnNoiseThenYamux() throws Exception {
        CompletableFuture<SecureChannelEstablished> secured = new CompletableFuture<>();
        CompletableFuture<String> muxer = new CompletableFuture<>();
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        upgrade(c, true, Optional.of(js.peerId()), secured, muxer);
                    }
                })
                .connect(js.addrs().getFirst().toInetSocketAddress()).sync().channel();
        try {
            assertThat(secured.get(15, TimeUnit.SECONDS).remotePeer()).isEqualTo(js.peerId());
            assertThat(muxer.get(15, TimeUnit.SECONDS)).isEqualTo(YAMUX);
            YamuxSession session = ch.pipeline().get(YamuxSession.class);
            byte[] payload = new byte[PING_SIZE];
            new SecureRandom().nextBytes(payload);
            CompletableFuture<byte[]> echo = new CompletableFuture<>();
            session.openStream(stream -> {
                MultistreamHandler select = MultistreamHandler.initiator(List.of(PING));
                stream.pipeline().addLast("select", select);
                stream.pipeline().addLast("collect", new Collect(echo));
                select.selected().thenRun(() -> stream.writeAndFlush(Unpooled.wrappedBuffer(payload)));
            }).get(10, TimeUnit.SECONDS);
            assertThat(echo.get(15, TimeUnit.SECONDS)).isEqualTo(payload);

            // 1 MiB through js's echo service: four times the yamux window, so flow control must work both ways.
            byte[] big = new byte[1 << 20];
            new SecureRandom().nextBytes(big);
            CompletableFuture<byte[]> bigEcho = new CompletableFuture<>();
            session.openStream(stream -> {
                MultistreamHandler select = MultistreamHandler.initiator(List.of(JsPeer.ECHO_PROTOCOL));
                stream.pipeline().addLast("select", select);
                stream.pipeline().addLast("collect", new CollectUntilFin(bigEcho));
                select.selected().thenRun(() -> stream.writeAndFlush(Unpooled.wrappedBuffer(big))
                        .addListener(f -> stream.closeWrite()));
            }).get(10, TimeUnit.SECONDS);
            assertThat(bigEcho.get(30, TimeUnit.SECONDS)).isEqualTo(big);
        } finally {
            ch.close();
        }
    }

    @Test
    void jsDialsUsAndAgreesOnNoiseThenYamux() throws Exception {
        CompletableFuture<SecureChannelEstablished> secured = new CompletableFuture<>();
        CompletableFuture<String> muxer = new CompletableFuture<>();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        upgrade(c, false, Optional.empty(), secured, muxer);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        try {
            PeerId ours = PeerId.fromPublicKey(key.publicKey());
            Multiaddr addr = Multiaddr.fromInetSocketAddress((InetSocketAddress) server.localAddress()).withPeerId(ours);
            // Without a muxer behind the upgrade js still completes its dial: yamux needs no handshake.
            assertThat(js.dial(addr)).isEqualTo(ours);
            assertThat(secured.get(15, TimeUnit.SECONDS).remotePeer()).isEqualTo(js.peerId());
            assertThat(muxer.get(15, TimeUnit.SECONDS)).isEqualTo(YAMUX);
            // js pings over the connection it dialled: an inbound yamux stream, answered by our echo.
            assertThat(js.ping(ours)).isGreaterThanOrEqualTo(0);
            JsPeer.EchoResult echo = js.echo(ours, 1 << 20);
            assertThat(echo.received()).isEqualTo(1 << 20);
            assertThat(echo.match()).isTrue();
            js.hangUp(ours);
        } finally {
            server.close().sync();
        }
    }

    /** Echoes every inbound buffer (ping and echo responder); half-closes when the remote did. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                ((YamuxStreamChannel) ctx.channel()).closeWrite();
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    /** Completes with everything read once the remote half-closes (yamux FIN). */
    static final class CollectUntilFin extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<byte[]> done;
        private final ByteBuf acc = Unpooled.buffer();

        CollectUntilFin(CompletableFuture<byte[]> done) {
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            acc.writeBytes(b);
            b.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                byte[] out = new byte[acc.readableBytes()];
                acc.readBytes(out);
                done.complete(out);
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IllegalStateException("stream closed before FIN after "
                    + acc.readableBytes() + " bytes"));
        }
    }

    /** Completes with the first {@link #PING_SIZE} bytes read. */
    static final class Collect extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<byte[]> done;
        private final ByteBuf acc = Unpooled.buffer();

        Collect(CompletableFuture<byte[]> done) {
            this.done = done;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            acc.writeBytes(b);
            b.release();
            if (acc.readableBytes() >= PING_SIZE) {
                byte[] out = new byte[PING_SIZE];
                acc.readBytes(out);
                done.complete(out);
                ctx.close();
            }
        }
    }

    private void upgrade(SocketChannel c, boolean initiator, Optional<PeerId> expected,
                         CompletableFuture<SecureChannelEstablished> secured, CompletableFuture<String> muxer) {
        MultistreamHandler security = initiator ? MultistreamHandler.initiator(List.of(NOISE))
                : MultistreamHandler.responder(() -> Set.of(NOISE));
        c.pipeline().addLast("security-select", security);
        security.selected().whenComplete((p, err) -> {
            if (err != null) {
                secured.completeExceptionally(err);
                return;
            }
            NoiseHandler noise = new NoiseHandler(key, initiator, expected);
            c.pipeline().addAfter("security-select", "noise", noise);
            noise.handshakeFuture().whenComplete((s, e2) -> {
                if (e2 != null) {
                    secured.completeExceptionally(e2);
                    return;
                }
                secured.complete(s);
                MultistreamHandler mux = initiator ? MultistreamHandler.initiator(List.of(YAMUX))
                        : MultistreamHandler.responder(() -> Set.of(YAMUX));
                c.pipeline().addAfter("noise", "muxer-select", mux);
                mux.selected().whenComplete((m, e3) -> {
                    if (e3 != null) {
                        muxer.completeExceptionally(e3);
                        return;
                    }
                    YamuxSession.install(c.pipeline(), new YamuxSession(initiator, YamuxSession.DEFAULT_MAX_STREAMS,
                            stream -> stream.pipeline().addLast(
                                    MultistreamHandler.responder(() -> Set.of(PING, JsPeer.ECHO_PROTOCOL)),
                                    new Echo())));
                    muxer.complete(m);
                });
            });
        });
    }
}
