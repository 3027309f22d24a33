package io.omnipeer.e2e.interop;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
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
import io.omnipeer.negotiation.multistream.MultistreamHandler;
import io.omnipeer.security.noise.NoiseHandler;
import io.omnipeer.security.noise.SecureChannelEstablished;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection upgrade (multistream-select → /noise → multistream-select → /yamux/1.0.0) of our
 * negotiation and security layers against js-libp2p, in both directions, without a muxer or host.
 */
class UpgradeInteropTest {

    static final String NOISE = "/noise";
    static final String YAMUX = "/yamux/1.0.0";
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
            js.hangUp(ours);
        } finally {
            server.close().sync();
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
                    if (e3 != null) muxer.completeExceptionally(e3);
                    else muxer.complete(m);
                });
            });
        });
    }
}
