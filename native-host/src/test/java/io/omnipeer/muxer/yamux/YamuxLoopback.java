package io.omnipeer.muxer.yamux;

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
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A listener and a dialer on 127.0.0.1, each with a {@link YamuxSession} straight on TCP. */
final class YamuxLoopback implements AutoCloseable {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    final Channel server;
    final CompletableFuture<YamuxSession> listenerSession = new CompletableFuture<>();
    YamuxSession dialerSession;
    Channel client;

    YamuxLoopback(int maxStreams, Consumer<YamuxStreamChannel> listenerStreams) {
        this(maxStreams, listenerStreams, YamuxSession.KEEPALIVE_INTERVAL);
    }

    YamuxLoopback(int maxStreams, Consumer<YamuxStreamChannel> listenerStreams, java.time.Duration keepalive) {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        YamuxSession session = new YamuxSession(false, maxStreams, listenerStreams, keepalive);
                        YamuxSession.install(ch.pipeline(), session);
                        listenerSession.complete(session);
                    }
                }).bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
    }

    YamuxSession dial(Consumer<YamuxStreamChannel> dialerStreams) {
        dialerSession = new YamuxSession(true, YamuxSession.DEFAULT_MAX_STREAMS, dialerStreams);
        client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        YamuxSession.install(ch.pipeline(), dialerSession);
                    }
                }).connect(server.localAddress()).syncUninterruptibly().channel();
        return dialerSession;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        if (client != null) {
            client.close().syncUninterruptibly();
        }
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
