package io.omnipeer.negotiation.multistream;

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
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MultistreamHandler} between two real sockets on loopback. */
class MultistreamHandlerTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    @AfterEach
    void shutdown() {
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Channel server(Consumer<SocketChannel> init) {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init.accept(ch);
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    private Channel client(Channel server, Consumer<SocketChannel> init) {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        init.accept(ch);
                    }
                }).connect(server.localAddress()).syncUninterruptibly().channel();
    }

    /** Echoes every ByteBuf back. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }
    }

    /** Collects received text. */
    private static final class Collect extends ChannelInboundHandlerAdapter {
        final StringBuffer text = new StringBuffer();
        final ConcurrentLinkedQueue<Object> events = new ConcurrentLinkedQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            text.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }

    @Test
    void negotiatesTheFirstSupportedProposalAndHandsOverTheChannel() {
        CompletableFuture<String> serverSelected = new CompletableFuture<>();
        Channel server = server(ch -> {
            MultistreamHandler ms = MultistreamHandler.responder(() -> Set.of("/echo/1.0.0"));
            ms.selected().thenAccept(p -> ch.pipeline().addLast(new Echo())).whenComplete((v, e) -> serverSelected.complete(e == null ? "ok" : e.toString()));
            ch.pipeline().addLast(ms);
        });
        Collect collect = new Collect();
        MultistreamHandler initiator = MultistreamHandler.initiator(List.of("/unknown/1.0.0", "/echo/1.0.0"));
        Channel client = client(server, ch -> ch.pipeline().addLast(initiator, collect));

        assertThat(initiator.selected()).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("/echo/1.0.0");
        assertThat(serverSelected).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("ok");
        await().atMost(Duration.ofSeconds(10)).until(() -> collect.events.contains(new ProtocolSelected("/echo/1.0.0")));
        await().atMost(Duration.ofSeconds(10)).until(() -> client.pipeline().get(MultistreamHandler.class) == null);
        client.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> collect.text.toString().equals("hello"));
        client.close().syncUninterruptibly();
        server.close().syncUninterruptibly();
    }

    @Test
    void bytesPipelinedAfterTheProposalReachTheProtocolHandler() {
        Channel server = server(ch -> {
            MultistreamHandler ms = MultistreamHandler.responder(() -> Set.of("/echo/1.0.0"));
            ms.selected().thenAccept(p -> ch.pipeline().addLast(new Echo()));
            ch.pipeline().addLast(ms);
        });
        Collect collect = new Collect();
        MultistreamHandler initiator = MultistreamHandler.initiator(List.of("/echo/1.0.0"));
        Channel client = client(server, ch -> ch.pipeline().addLast(initiator, collect));
        // Written before the responder's answer arrives: travels right behind header and proposal.
        client.writeAndFlush(Unpooled.copiedBuffer("early", StandardCharsets.UTF_8));
        await().atMost(Duration.ofSeconds(10)).until(() -> collect.text.toString().equals("early"));
        assertThat(initiator.selected()).isCompletedWithValue("/echo/1.0.0");
        client.close().syncUninterruptibly();
        server.close().syncUninterruptibly();
    }

    @Test
    void noCommonProtocolFailsBothSidesAndClosesTheConnection() {
        CompletableFuture<Throwable> serverFailure = new CompletableFuture<>();
        Channel server = server(ch -> {
            MultistreamHandler ms = MultistreamHandler.responder(() -> Set.of("/b"));
            ms.selected().whenComplete((p, e) -> serverFailure.complete(e));
            ch.pipeline().addLast(ms);
        });
        MultistreamHandler initiator = MultistreamHandler.initiator(List.of("/a"));
        Channel client = client(server, ch -> ch.pipeline().addLast(initiator));
        assertThat(initiator.selected()).failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().havingCause().isInstanceOf(NegotiationException.class).withMessageContaining("none of");
        assertThat(client.closeFuture().awaitUninterruptibly(10_000)).isTrue();
        assertThat(serverFailure).succeedsWithin(Duration.ofSeconds(10)).isInstanceOf(NegotiationException.class);
        server.close().syncUninterruptibly();
    }

    @Test
    void silentPeerTimesOut() {
        Channel server = server(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter()));
        MultistreamHandler initiator = MultistreamHandler.initiator(List.of("/a"), Duration.ofMillis(200));
        Channel client = client(server, ch -> ch.pipeline().addLast(initiator));
        assertThat(initiator.selected()).failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().havingCause().withMessageContaining("no agreement within 200 ms");
        assertThat(client.closeFuture().awaitUninterruptibly(10_000)).isTrue();
        server.close().syncUninterruptibly();
    }

    @Test
    void garbageFromThePeerFailsOnlyThatChannel() {
        Channel server = server(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3}));
            }
        }));
        MultistreamHandler initiator = MultistreamHandler.initiator(List.of("/a"));
        Channel client = client(server, ch -> ch.pipeline().addLast(initiator));
        assertThat(initiator.selected()).failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().havingCause().isInstanceOf(NegotiationException.class).withMessageContaining("outside");
        assertThat(client.closeFuture().awaitUninterruptibly(10_000)).isTrue();
        assertThat(server.isOpen()).isTrue();
        server.close().syncUninterruptibly();
    }
}
