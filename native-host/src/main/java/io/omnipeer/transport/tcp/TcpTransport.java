package io.omnipeer.transport.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.omnipeer.core.Multiaddr;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TCP for libp2p on Netty: native epoll when available, NIO otherwise. Listens and dials raw TCP connections and
 * hands each to an initializer that installs the connection upgrade. Addresses are {@code /ip4|ip6/.../tcp/...}.
 * Thread-safe; owns its event loop group until {@link #close()}.
 */
public final class TcpTransport implements AutoCloseable {
    /** Bound on establishing one TCP connection. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Pending-accept backlog of a listening socket. */
    public static final int ACCEPT_BACKLOG = 128;
    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> socketChannel;
    private final Class<? extends ServerChannel> serverChannel;

    /** @param threads event loop threads (0 = Netty's default of 2 × cores) */
    public TcpTransport(int threads) {
        DefaultThreadFactory threadFactory = new DefaultThreadFactory("omnipeer-tcp", true);
        if (Epoll.isAvailable()) {
            group = new MultiThreadIoEventLoopGroup(threads, threadFactory, EpollIoHandler.newFactory());
            socketChannel = EpollSocketChannel.class;
            serverChannel = EpollServerSocketChannel.class;
        } else {
            group = new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory());
            socketChannel = NioSocketChannel.class;
            serverChannel = NioServerSocketChannel.class;
        }
    }

    /** True when the native epoll transport is in use. */
    public boolean isNative() {
        return socketChannel == EpollSocketChannel.class;
    }

    /**
     * Binds {@code address}; every accepted connection goes to {@code initializer} (on its event loop).
     * @return the server channel; its local address carries the actual port
     * @throws IllegalArgumentException if {@code address} is not ip4/ip6 + tcp
     */
    public CompletableFuture<Channel> listen(Multiaddr address, Consumer<SocketChannel> initializer) {
        InetSocketAddress bind = address.toInetSocketAddress();
        ChannelFuture f = new ServerBootstrap().group(group).channel(serverChannel)
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer(initializer))
                .bind(bind);
        return toFuture(f);
    }

    /** Connects to {@code address}; {@code initializer} runs before the connection becomes active. */
    public CompletableFuture<Channel> dial(Multiaddr address, Consumer<SocketChannel> initializer) {
        InetSocketAddress remote = address.toInetSocketAddress();
        ChannelFuture f = new Bootstrap().group(group).channel(socketChannel)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
                .handler(initializer(initializer))
                .connect(remote);
        return toFuture(f);
    }

    private static ChannelInitializer<SocketChannel> initializer(Consumer<SocketChannel> init) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                init.accept(ch);
            }
        };
    }

    private static CompletableFuture<Channel> toFuture(ChannelFuture f) {
        CompletableFuture<Channel> result = new CompletableFuture<>();
        f.addListener(x -> {
            if (x.isSuccess()) {
                result.complete(f.channel());
            } else {
                result.completeExceptionally(x.cause());
            }
        });
        return result;
    }

    /** The transport address of a connected or bound channel, e.g. {@code /ip4/127.0.0.1/tcp/4001}. */
    public static Multiaddr address(java.net.SocketAddress socketAddress) {
        return Multiaddr.fromInetSocketAddress((InetSocketAddress) socketAddress);
    }

    /**
     * Dialable addresses of a listener bound at {@code bound} after {@code requested} was asked for: the bound
     * address itself, or for a wildcard bind ({@code 0.0.0.0} / {@code ::}) one address per interface address of the
     * requested family (link-local excluded), as go-libp2p announces them.
     */
    public static List<Multiaddr> dialableAddresses(Multiaddr requested, InetSocketAddress bound) {
        if (!bound.getAddress().isAnyLocalAddress()) {
            return List.of(address(bound));
        }
        // Native sockets report a dual-stack "::" even for 0.0.0.0: the requested family decides.
        boolean ipv6 = requested.toInetSocketAddress().getAddress() instanceof Inet6Address;
        List<Multiaddr> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp()) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if ((a instanceof Inet6Address) == ipv6 && !a.isLinkLocalAddress()) {
                        out.add(Multiaddr.fromInetSocketAddress(new InetSocketAddress(a, bound.getPort())));
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces: {}", e.getMessage());
        }
        return out;
    }

    /**
     * Shuts the event loops down (quiet period 0, at most 2 s) without blocking; safe to call from an event loop.
     * @return completes once every event loop thread has stopped
     */
    public CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
        return done;
    }

    /** Shuts the event loops down and waits; do not call from one of this transport's event loops. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
