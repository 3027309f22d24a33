package io.omnipeer.discovery.mdns;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * libp2p mDNS discovery (libp2p/specs discovery/mdns.md) on one network interface: answers
 * {@code _p2p._udp.local PTR} queries with our {@link PeerAnnouncement}, sends that query every
 * {@link Config#queryInterval()}, and reports announcements of other peers to an {@link MdnsListener}.
 *
 * <p>Multicast goes to 224.0.0.251 (RFC 6762 section 3) through the interface given to the constructor
 * only (IP_MULTICAST_IF and group membership on that interface); tests pass {@code "lo"}.
 * Bounds: packets over {@link MdnsCodec#MAX_PACKET_BYTES} and malformed packets are dropped with a logged
 * reason; at most {@link #MAX_PEERS_PER_INTERVAL} peers are reported per query interval, each at most once
 * per interval unless its addresses change; we multicast our answer at most once per
 * {@link #MIN_ANSWER_INTERVAL} (RFC 6762 section 6): queries within that interval share one deferred answer.
 *
 * <p>Thread-safety: all state lives on one event-loop thread; {@link #start()}, {@link #query()} and
 * {@link #close()} may be called from any thread. The listener runs on the event loop.
 */
public final class MdnsService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MdnsService.class);

    /** RFC 6762 section 3: the IPv4 mDNS group. */
    public static final String MDNS_GROUP = "224.0.0.251";
    /** RFC 6762 section 3: the mDNS port. */
    public static final int MDNS_PORT = 5353;
    /** How often we ask for peers by default (js-libp2p uses 10 s too). */
    public static final Duration DEFAULT_QUERY_INTERVAL = Duration.ofSeconds(10);
    /** TTL of our records (as js-libp2p and go-libp2p: 120 s, RFC 6762 section 10 for host names). */
    public static final long RECORD_TTL_SECONDS = 120;
    /** Cap on peers reported to the listener per query interval. */
    public static final int MAX_PEERS_PER_INTERVAL = 64;
    /** RFC 6762 section 6: a record is multicast at most once per second on an interface. */
    public static final Duration MIN_ANSWER_INTERVAL = Duration.ofSeconds(1);

    /**
     * @param port          UDP port, {@link #MDNS_PORT} except in tests that want isolation
     * @param queryInterval time between our queries
     */
    public record Config(int port, Duration queryInterval) {
        public static Config defaults() {
            return new Config(MDNS_PORT, DEFAULT_QUERY_INTERVAL);
        }
    }

    private final PeerId self;
    private final Supplier<List<Multiaddr>> listenAddrs;
    private final NetworkInterface networkInterface;
    private final MdnsListener listener;
    private final Config config;
    private final String peerName = PeerAnnouncement.randomPeerName();
    private final InetSocketAddress group;
    private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    /** Event-loop only: peers reported in the current interval, with the addresses reported. */
    private final Map<PeerId, List<Multiaddr>> reportedThisInterval = new HashMap<>();
    private long lastAnswerNanos;
    private boolean answeredOnce;
    private boolean answerPending;
    private DatagramChannel channel;
    private ScheduledFuture<?> queryTask;

    /**
     * @param self          our peer ID (announced, and never reported to the listener)
     * @param listenAddrs   our current addresses (asked on each answer; {@code /p2p/} is added if missing)
     * @param interfaceName network interface to use, e.g. "lo"
     * @throws IllegalArgumentException if the interface does not exist, has no IPv4 address, or cannot multicast
     */
    public MdnsService(PeerId self, Supplier<List<Multiaddr>> listenAddrs, String interfaceName,
                       MdnsListener listener, Config config) {
        this.self = Objects.requireNonNull(self);
        this.listenAddrs = Objects.requireNonNull(listenAddrs);
        this.listener = Objects.requireNonNull(listener);
        this.config = Objects.requireNonNull(config);
        this.networkInterface = multicastInterface(interfaceName);
        try {
            this.group = new InetSocketAddress(InetAddress.getByName(MDNS_GROUP), config.port());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public MdnsService(PeerId self, Supplier<List<Multiaddr>> listenAddrs, String interfaceName,
                       MdnsListener listener) {
        this(self, listenAddrs, interfaceName, listener, Config.defaults());
    }

    private static NetworkInterface multicastInterface(String name) {
        try {
            NetworkInterface ni = NetworkInterface.getByName(name);
            if (ni == null) {
                throw new IllegalArgumentException("no network interface " + name);
            }
            if (ni.inetAddresses().noneMatch(a -> a instanceof Inet4Address)) {
                throw new IllegalArgumentException("interface " + name + " has no IPv4 address");
            }
            if (!ni.supportsMulticast()) {
                throw new IllegalArgumentException("interface " + name + " has multicast off (ip link set "
                        + name + " multicast on)");
            }
            return ni;
        } catch (SocketException e) {
            throw new IllegalArgumentException("cannot inspect interface " + name + ": " + e.getMessage(), e);
        }
    }

    /** The random instance name we announce ({@code <peerName>._p2p._udp.local}). */
    public String peerName() {
        return peerName;
    }

    /**
     * Binds the port (SO_REUSEADDR, shared with other mDNS responders), joins the group on the interface,
     * sends a first query and schedules the periodic ones.
     * @throws IOException if binding or joining fails
     */
    public synchronized void start() throws IOException {
        if (channel != null) {
            return;
        }
        Bootstrap b = new Bootstrap().group(loop)
                .channelFactory(() -> new NioDatagramChannel(SocketProtocolFamily.INET))
                .option(ChannelOption.SO_REUSEADDR, true)
                // Other responders on the host (avahi, browsers, js-libp2p) share the port; some of them
                // bind with SO_REUSEPORT, which Linux then requires of every socket on the port.
                .option(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
                .option(ChannelOption.IP_MULTICAST_IF, networkInterface)
                .option(ChannelOption.IP_MULTICAST_LOOP_DISABLED, false)
                .option(ChannelOption.IP_MULTICAST_TTL, 255)
                // One byte more than the largest legal packet, so an oversized datagram is seen as such
                // instead of being silently truncated to a plausible one.
                .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MdnsCodec.MAX_PACKET_BYTES + 1))
                .handler(new InboundHandler());
        try {
            DatagramChannel ch = (DatagramChannel) b.bind(new InetSocketAddress(config.port())).sync().channel();
            ch.joinGroup(group, networkInterface).sync();
            channel = ch;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting mDNS", e);
        } catch (Exception e) {
            throw new IOException("cannot start mDNS on " + networkInterface.getName() + ": " + e.getMessage(), e);
        }
        long ms = config.queryInterval().toMillis();
        queryTask = loop.next().scheduleAtFixedRate(this::queryTick, 0, ms, TimeUnit.MILLISECONDS);
        log.info("mDNS on {} port {} as {}", networkInterface.getName(), config.port(), peerName);
    }

    /** Sends a {@code _p2p._udp.local PTR} query now (in addition to the periodic ones). */
    public void query() {
        DatagramChannel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(this::sendQuery);
        }
    }

    private void queryTick() {
        reportedThisInterval.clear();
        sendQuery();
    }

    private void sendQuery() {
        ByteBuf q = MdnsCodec.encodeQuery(channel.alloc(), List.of(PeerAnnouncement.SERVICE_NAME));
        channel.writeAndFlush(new DatagramPacket(q, group)).addListener(f -> {
            if (!f.isSuccess()) {
                log.debug("mDNS query not sent: {}", f.cause().toString());
            }
        });
    }

    private void onPacket(DatagramPacket packet) {
        MdnsMessage msg;
        try {
            msg = MdnsCodec.decode(packet.content());
        } catch (DecodingException e) {
            log.debug("dropping mDNS packet from {}: {}", packet.sender(), e.getMessage());
            return;
        }
        log.trace("mDNS {} from {}: {}", msg.response() ? "response" : "query", packet.sender(), msg);
        if (msg.response()) {
            onResponse(msg);
        } else if (msg.questions().stream().anyMatch(q -> q.name().equals(PeerAnnouncement.SERVICE_NAME)
                && (q.type() == MdnsMessage.TYPE_PTR || q.type() == 255))) {
            answer();
        }
    }

    private void onResponse(MdnsMessage msg) {
        Set<String> ours = Set.of(MdnsMessage.normalize(peerName + "." + PeerAnnouncement.SERVICE_NAME));
        for (PeerAnnouncement a : PeerAnnouncement.fromResponse(msg, ours)) {
            if (a.peer().equals(self) || a.addrs().isEmpty()) {
                continue;
            }
            if (a.addrs().equals(reportedThisInterval.get(a.peer()))) {
                continue;
            }
            if (!reportedThisInterval.containsKey(a.peer()) && reportedThisInterval.size() >= MAX_PEERS_PER_INTERVAL) {
                log.debug("mDNS: more than {} peers this interval, ignoring {}", MAX_PEERS_PER_INTERVAL, a.peer());
                continue;
            }
            reportedThisInterval.put(a.peer(), a.addrs());
            try {
                listener.onPeerFound(a.peer(), a.addrs());
            } catch (RuntimeException e) {
                log.warn("mDNS listener failed for {}", a.peer(), e);
            }
        }
    }

    /**
     * Answers a query now, or, within {@link #MIN_ANSWER_INTERVAL} of the previous answer, once that
     * interval has passed: queries arriving meanwhile share that one deferred answer.
     */
    private void answer() {
        if (answerPending) {
            return;
        }
        long wait = answeredOnce ? MIN_ANSWER_INTERVAL.toNanos() - (System.nanoTime() - lastAnswerNanos) : 0;
        if (wait <= 0) {
            sendAnswer();
        } else {
            answerPending = true;
            channel.eventLoop().schedule(() -> {
                answerPending = false;
                if (channel.isActive()) {
                    sendAnswer();
                }
            }, wait, TimeUnit.NANOSECONDS);
        }
    }

    private void sendAnswer() {
        PeerAnnouncement ours = new PeerAnnouncement(self, listenAddrs.get());
        List<MdnsMessage.Record> txt = ours.txtRecords(peerName);
        if (txt.isEmpty()) {
            return;
        }
        answeredOnce = true;
        lastAnswerNanos = System.nanoTime();
        ByteBuf r = MdnsCodec.encodeResponse(channel.alloc(), List.of(PeerAnnouncement.answer(peerName)), txt,
                RECORD_TTL_SECONDS);
        channel.writeAndFlush(new DatagramPacket(r, group));
    }

    /** Leaves the group, closes the socket and stops the event loop; waits at most a few seconds. */
    @Override
    public synchronized void close() {
        if (queryTask != null) {
            queryTask.cancel(false);
        }
        if (channel != null) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }

    private final class InboundHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            onPacket(packet);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("mDNS socket error: {}", cause.toString());
        }
    }
}
