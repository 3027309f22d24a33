package io.omnipeer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.core.Connection;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.Stream;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.PeerId;
import io.omnipeer.protocol.identify.IdentifyService;
import io.omnipeer.protocol.ping.PingService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two real hosts on loopback: TCP + multistream + Noise + yamux, identify and ping, both ways. */
class DefaultHostTest {
    static final String ECHO = "/omnipeer/test/echo/1.0.0";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private TestNode a;
    private TestNode b;

    @BeforeEach
    void start() throws Exception {
        a = new TestNode();
        b = new TestNode();
        b.host.setStreamHandler(ECHO, stream -> stream.channel().pipeline().addLast(new EchoUntilFin(stream)));
        a.host.setStreamHandler(ECHO, stream -> stream.channel().pipeline().addLast(new EchoUntilFin(stream)));
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
    }

    static final class EchoUntilFin extends ChannelInboundHandlerAdapter {
        private final Stream stream;

        EchoUntilFin(Stream stream) {
            this.stream = stream;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                stream.close();
            }
        }
    }

    static final class Collect extends ChannelInboundHandlerAdapter {
        final ByteBuf data = Unpooled.buffer();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            data.writeBytes(b);
            b.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == ChannelInputShutdownEvent.INSTANCE) {
                byte[] out = new byte[data.readableBytes()];
                data.readBytes(out);
                done.complete(out);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.completeExceptionally(new IllegalStateException("closed before FIN"));
        }
    }

    /** Sends {@code payload} on a new {@code ECHO} stream and returns what came back before the peer's FIN. */
    static CompletableFuture<byte[]> echo(Connection c, byte[] payload) {
        Collect collect = new Collect();
        return c.newStream(List.of(ECHO)).thenCompose(s -> {
            s.channel().pipeline().addLast(collect);
            s.channel().writeAndFlush(Unpooled.wrappedBuffer(payload));
            s.closeWrite();
            return collect.done;
        });
    }

    @Test
    void listenAddressesCarryTheBoundPort() {
        Multiaddr addr = a.host.listenAddresses().get(0);
        assertThat(addr.toString()).startsWith("/ip4/127.0.0.1/tcp/");
        assertThat(addr.tcpPort().getAsInt()).isPositive();
    }

    @Test
    void wildcardListenListsLoopbackWithTheBoundPort() throws Exception {
        a.host.listen(Multiaddr.parse("/ip4/0.0.0.0/tcp/0")).get(10, TimeUnit.SECONDS);
        List<Multiaddr> addrs = a.host.listenAddresses();
        assertThat(addrs).noneMatch(m -> m.toString().startsWith("/ip4/0.0.0.0"));
        assertThat(addrs.stream().filter(m -> m.toString().startsWith("/ip4/127.0.0.1/tcp/")).count()).as(addrs.toString()).isEqualTo(2);
        System.out.println("FIGURE native epoll transport: " + a.host.isNativeTransport());
    }

    @Test
    void dialIdentifiesBothWays() throws Exception {
        Connection c = a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
        assertThat(c.remotePeer()).isEqualTo(b.host.peerId());
        assertThat(c.isInitiator()).isTrue();
        await().atMost(WAIT).until(() -> a.host.peerstore().protocols(b.host.peerId()).contains(PingService.PROTOCOL_ID)
                && b.host.peerstore().protocols(a.host.peerId()).contains(PingService.PROTOCOL_ID));
        assertThat(a.host.peerstore().protocols(b.host.peerId()))
                .containsExactlyInAnyOrder(IdentifyService.PROTOCOL_ID, IdentifyService.PUSH_PROTOCOL_ID, PingService.PROTOCOL_ID, ECHO);
        assertThat(a.host.peerstore().agentVersion(b.host.peerId())).contains("omnipeer/0.1.0");
        assertThat(b.host.peerstore().agentVersion(a.host.peerId())).contains("omnipeer/0.1.0");
        assertThat(a.host.peerstore().addresses(b.host.peerId())).contains(b.host.listenAddresses().get(0));
        assertThat(b.host.peerstore().addresses(a.host.peerId())).contains(a.host.listenAddresses().get(0));
        assertThat(b.host.peerstore().publicKey(a.host.peerId())).contains(a.host.privateKey().publicKey());
        await().atMost(WAIT).until(() -> !a.identify.observedAddresses().isEmpty() && !b.identify.observedAddresses().isEmpty());
        assertThat(a.identify.observedAddresses().get(0)).isEqualTo(c.localAddress());
        assertThat(b.host.connection(a.host.peerId())).isPresent();
    }

    @Test
    void identifyPushTellsPeersAboutNewProtocols() throws Exception {
        a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> a.host.peerstore().protocols(b.host.peerId()).contains(ECHO));
        b.host.setStreamHandler("/omnipeer/test/new/1.0.0", s -> s.reset());
        await().atMost(WAIT).until(() -> a.host.peerstore().protocols(b.host.peerId()).contains("/omnipeer/test/new/1.0.0"));
    }

    @Test
    void dialingTheWrongPeerIdFails() throws Exception {
        PeerId someoneElse = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        CompletableFuture<Connection> f = a.host.dial(b.host.listenAddresses().get(0).withPeerId(someoneElse));
        assertThat(f).failsWithin(WAIT);
        assertThat(a.host.connections()).isEmpty();
    }

    @Test
    void pingBothWaysOnReusedStreams() throws Exception {
        a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
        List<Duration> rtts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rtts.add(a.ping.ping(b.host.peerId()).get(10, TimeUnit.SECONDS));
            rtts.add(b.ping.ping(a.host.peerId()).get(10, TimeUnit.SECONDS));
        }
        assertThat(rtts).allSatisfy(d -> assertThat(d).isPositive());
        assertThat(a.host.connections()).hasSize(1);
        assertThat(b.host.connections()).hasSize(1);
        long[] micros = rtts.stream().mapToLong(d -> d.toNanos() / 1000).sorted().toArray();
        System.out.println("FIGURE loopback ping RTT over noise+yamux: median " + micros[micros.length / 2] + " us, min " + micros[0] + " us");
    }

    @Test
    void aThirdConcurrentInboundPingStreamIsRefused() throws Exception {
        Connection c = a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
        Stream first = c.newStream(List.of(PingService.PROTOCOL_ID)).get(10, TimeUnit.SECONDS);
        Stream second = c.newStream(List.of(PingService.PROTOCOL_ID)).get(10, TimeUnit.SECONDS);
        Stream third = c.newStream(List.of(PingService.PROTOCOL_ID)).get(10, TimeUnit.SECONDS);
        assertThat(third.channel().closeFuture().awaitUninterruptibly(20_000)).isTrue();
        assertThat(first.channel().isOpen()).isTrue();
        first.reset();
        second.reset();
        await().atMost(WAIT).untilAsserted(() -> assertThat(a.ping.ping(b.host.peerId()).get(10, TimeUnit.SECONDS)).isPositive());
    }

    @Test
    void hundredConcurrentStreams() throws Exception {
        Connection c = a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
        List<CompletableFuture<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] payload = new byte[4096 + i];
            new Random(i).nextBytes(payload);
            results.add(echo(c, payload).thenApply(back -> Arrays.equals(back, payload)));
        }
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        assertThat(results).allSatisfy(r -> assertThat(r.join()).isTrue());
        YamuxConnection yc = (YamuxConnection) c;
        await().atMost(WAIT).until(() -> yc.streamCount().get() == 0);
    }

    @Test
    void garbageAfterTheHandshakeOnlyLosesThatConnection() throws Exception {
        try (TestNode c = new TestNode()) {
            Connection good = a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
            YamuxConnection bad = (YamuxConnection) c.host.dial(b.address()).get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> b.host.connections().size() == 2);
            // Encrypted by Noise like any frame, but not yamux: version 0x47 is a session protocol error.
            bad.channel().writeAndFlush(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(bad.channel().closeFuture().awaitUninterruptibly(20_000)).isTrue();
            await().atMost(WAIT).until(() -> b.host.connections().size() == 1);
            assertThat(good.isOpen()).isTrue();
            assertThat(a.ping.ping(b.host.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void streamThroughput() throws Exception {
        Connection c = a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
        byte[] payload = new byte[16 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        long start = System.nanoTime();
        byte[] back = echo(c, payload).get(120, TimeUnit.SECONDS);
        long nanos = System.nanoTime() - start;
        int firstDiff = Arrays.mismatch(back, payload);
        assertThat(firstDiff).as("first differing byte of %d returned, %d sent", back.length, payload.length).isEqualTo(-1);
        System.out.printf("FIGURE echo of 16 MiB over one noise+yamux stream: %.1f MiB/s each way%n",
                16.0 / (nanos / 1e9));
    }
}
