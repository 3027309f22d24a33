package io.omnipeer.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;
import io.omnipeer.core.codec.UvarintFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a pubsub router knows of one remote peer: the topics it announced, the protocol its stream
 * speaks ({@code /floodsub/1.0.0}, {@code /meshsub/1.0.0}, {@code /meshsub/1.1.0}) and our long-lived
 * outbound stream to it, on which we write uvarint-length-prefixed {@code RPC} protobufs.
 * Spec: libp2p/specs pubsub/README.md, "Stream management".
 *
 * <p>Thread-safe. {@link #send(byte[])} never blocks: RPCs sent while the stream is opening wait in a
 * bounded queue; RPCs to a peer whose outbound buffer is over {@link #MAX_QUEUED_BYTES} are dropped.
 */
public final class PubsubPeer {
    /** Bytes queued for one peer beyond which further RPCs to it are dropped (best-effort delivery). */
    public static final long MAX_QUEUED_BYTES = 8L << 20;
    /** Most topics remembered per remote peer, so a peer cannot grow our tables without bound. */
    public static final int MAX_TOPICS = 1024;
    /** RPCs held while the outbound stream is being negotiated. */
    static final int MAX_PENDING_RPCS = 64;

    private static final Logger log = LoggerFactory.getLogger(PubsubPeer.class);

    private final PeerId id;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private volatile String protocol;
    private Channel outbound;
    private boolean opening;
    private final List<byte[]> pendingUntilOpen = new ArrayList<>();

    public PubsubPeer(PeerId id) {
        this.id = id;
    }

    public PeerId id() {
        return id;
    }

    /** Live view of the topics this peer announced. */
    public Set<String> topics() {
        return topics;
    }

    /** Records a subscription change; returns false (and ignores it) when the peer is at {@link #MAX_TOPICS}. */
    public boolean updateTopic(String topic, boolean subscribe) {
        if (!subscribe) {
            topics.remove(topic);
            return true;
        }
        if (topics.size() >= MAX_TOPICS && !topics.contains(topic)) {
            return false;
        }
        topics.add(topic);
        return true;
    }

    /** The protocol negotiated on our outbound stream, or null while none is open. */
    public String protocol() {
        return protocol;
    }

    /** Records the protocol of the peer's inbound stream until our outbound one is negotiated. */
    public void noteInboundProtocol(String inbound) {
        if (protocol == null) {
            protocol = inbound;
        }
    }

    /** Claims the right to open the outbound stream; false if one is open or being opened. */
    public synchronized boolean startOpening() {
        if (opening || (outbound != null && outbound.isActive())) {
            return false;
        }
        opening = true;
        return true;
    }

    public synchronized void openFailed() {
        opening = false;
        pendingUntilOpen.clear();
    }

    /** Installs the negotiated outbound stream (its inbound bytes are discarded) and flushes queued RPCs. */
    public void opened(Stream stream) {
        Channel channel = stream.channel();
        channel.pipeline().addLast(new DiscardInbound());
        List<byte[]> pending;
        synchronized (this) {
            outbound = channel;
            protocol = stream.protocol();
            opening = false;
            pending = new ArrayList<>(pendingUntilOpen);
            pendingUntilOpen.clear();
        }
        channel.closeFuture().addListener(f -> {
            synchronized (this) {
                if (outbound == channel) {
                    outbound = null;
                }
            }
        });
        pending.forEach(this::send);
    }

    /** True once an outbound stream is open. */
    public synchronized boolean isOpen() {
        return outbound != null && outbound.isActive();
    }

    /** Writes one encoded RPC (without its length prefix). Never blocks; may drop (see class doc). */
    public void send(byte[] rpc) {
        Channel channel;
        synchronized (this) {
            channel = outbound;
            if (channel == null) {
                if (opening && pendingUntilOpen.size() < MAX_PENDING_RPCS) {
                    pendingUntilOpen.add(rpc);
                }
                return;
            }
        }
        if (!channel.isWritable() && channel.bytesBeforeWritable() > MAX_QUEUED_BYTES) {
            log.debug("dropping a pubsub RPC to slow peer {}", id);
            return;
        }
        channel.writeAndFlush(UvarintFrames.frame(channel.alloc(), rpc));
    }

    public synchronized void closeOutbound() {
        if (outbound != null) {
            outbound.close();
        }
    }

    /** The remote never writes on our outbound stream; anything it sends is discarded. */
    private static final class DiscardInbound extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            // released by SimpleChannelInboundHandler
        }
    }
}
