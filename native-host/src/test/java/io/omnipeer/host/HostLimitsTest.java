package io.omnipeer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.omnipeer.core.Connection;
import io.omnipeer.core.Stream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Host caps and error containment between real hosts on loopback. */
class HostLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void connectionsBeyondTheCapAreRefused() throws Exception {
        try (TestNode limited = new TestNode(new HostLimits(1, 8)); TestNode a = new TestNode(); TestNode b = new TestNode()) {
            a.host.dial(limited.address()).get(10, TimeUnit.SECONDS);
            CompletableFuture<Connection> second = b.host.dial(limited.address());
            assertThat(second).failsWithin(WAIT);
            assertThat(limited.host.connections()).hasSize(1);
            assertThat(a.ping.ping(limited.host.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void streamsBeyondTheCapAreRefusedAndTheConnectionStays() throws Exception {
        try (TestNode limited = new TestNode(new HostLimits(4, 3)); TestNode a = new TestNode()) {
            limited.host.setStreamHandler(DefaultHostTest.ECHO, s -> s.channel().pipeline().addLast(new DefaultHostTest.EchoUntilFin(s)));
            Connection c = a.host.dial(limited.address()).get(10, TimeUnit.SECONDS);
            // Identify runs one stream each way right after connecting; wait for them to finish.
            await().atMost(WAIT).until(() -> ((YamuxConnection) c).streamCount().get() == 0);
            Stream s1 = c.newStream(List.of(DefaultHostTest.ECHO)).get(10, TimeUnit.SECONDS);
            Stream s2 = c.newStream(List.of(DefaultHostTest.ECHO)).get(10, TimeUnit.SECONDS);
            Stream s3 = c.newStream(List.of(DefaultHostTest.ECHO)).get(10, TimeUnit.SECONDS);
            assertThat(c.newStream(List.of(DefaultHostTest.ECHO))).failsWithin(WAIT);
            assertThat(c.isOpen()).isTrue();
            s1.reset();
            await().atMost(WAIT).until(() -> ((YamuxConnection) c).streamCount().get() == 2);
            byte[] back = DefaultHostTest.echo(c, new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS);
            assertThat(back).containsExactly(1, 2, 3);
            s2.reset();
            s3.reset();
        }
    }

    @Test
    void aFailingProtocolHandlerResetsOnlyItsStream() throws Exception {
        try (TestNode a = new TestNode(); TestNode b = new TestNode()) {
            b.host.setStreamHandler("/omnipeer/test/broken/1.0.0", s -> s.channel().pipeline().addLast(new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    io.netty.util.ReferenceCountUtil.release(msg);
                    throw new IllegalStateException("handler bug");
                }
            }));
            Connection c = a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
            Stream broken = c.newStream(List.of("/omnipeer/test/broken/1.0.0")).get(10, TimeUnit.SECONDS);
            broken.channel().pipeline().addLast(new ChannelInboundHandlerAdapter());
            broken.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {42}));
            assertThat(broken.channel().closeFuture().awaitUninterruptibly(20_000)).isTrue();
            assertThat(c.isOpen()).isTrue();
            assertThat(a.ping.ping(b.host.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void unsupportedProtocolFailsTheStreamNotTheConnection() throws Exception {
        try (TestNode a = new TestNode(); TestNode b = new TestNode()) {
            Connection c = a.host.dial(b.address()).get(10, TimeUnit.SECONDS);
            assertThat(c.newStream(List.of("/nobody/speaks/this", "/nor/this"))).failsWithin(WAIT);
            assertThat(a.ping.ping(b.host.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
        }
    }
}
