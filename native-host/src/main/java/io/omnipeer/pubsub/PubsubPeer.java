package io.omnipeer.pubsub;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;

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
 * bounded queue; RPCs to a peer whose outbound buffer is over {@link #MAX_QUEUED_BYTES} are dropped. The stream
 * is an {@link RpcSink}: a libp2p stream in production, an in-memory link in the simulator.
 */
public final class PubsubPeer {
    /** Bytes queued for one peer beyond which further RPCs to it are dropped (best-effort delivery). */
    public static final long MAX_QUEUED_BYTES = 8L << 20;
    /** Most topics remembered per remote peer, so a peer cannot grow our tables without bound. */
    public static final int MAX_TOPICS = 1024;
    /** RPCs held while the outbound stream is being negotiated. */
    static final int MAX_PENDING_RPCS = 64;

    private final PeerId id;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private volatile String protocol;
    private RpcSink outbound;
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
        if (opening || (outbound != null && outbound.isOpen())) {
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
        opened(new StreamRpcSink(stream));
    }

    /** Installs the negotiated outbound stream (or the simulator's in-memory one) and flushes queued RPCs. */
    public void opened(RpcSink sink) {
        List<byte[]> pending;
        synchronized (this) {
            outbound = sink;
            protocol = sink.protocol();
            opening = false;
            pending = new ArrayList<>(pendingUntilOpen);
            pendingUntilOpen.clear();
        }
        pending.forEach(this::send);
    }

    /** True once an outbound stream is open. */
    public synchronized boolean isOpen() {
        return outbound != null && outbound.isOpen();
    }

    /** Writes one encoded RPC (without its length prefix). Never blocks; may drop (see class doc). */
    public void send(byte[] rpc) {
        RpcSink sink;
        synchronized (this) {
            sink = outbound;
            if (sink == null || !sink.isOpen()) {
                if (opening && pendingUntilOpen.size() < MAX_PENDING_RPCS) {
                    pendingUntilOpen.add(rpc);
                }
                return;
            }
        }
        sink.send(rpc);
    }

    public synchronized void closeOutbound() {
        if (outbound != null) {
            outbound.close();
        }
    }
}
