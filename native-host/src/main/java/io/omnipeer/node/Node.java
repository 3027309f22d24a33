package io.omnipeer.node;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.pubsub.PubsubMessage;
import io.omnipeer.rcmgr.ResourceManager;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the daemon's control socket needs from the overlay node (API.md, "node + daemon facade").
 * Implementations are thread-safe; futures complete on the node's threads, so callers must not block in
 * their continuations.
 */
public interface Node {
    PeerId peerId();

    /** The bound listen addresses, ports resolved. */
    List<Multiaddr> listenAddresses();

    String agentVersion();

    /** One entry per peer with at least one open connection. */
    List<PeerInfo> connectedPeers();

    /**
     * Dials {@code addr} (with or without {@code /p2p/}; the peer ID is verified when present).
     *
     * @return the remote peer once the connection is secured and muxed; fails on dial, handshake or ID mismatch
     */
    CompletableFuture<PeerId> connect(Multiaddr addr);

    /** Round trip of one {@code /ipfs/ping/1.0.0} exchange. */
    CompletableFuture<Duration> ping(PeerId peer);

    /**
     * Subscribes to {@code topic}; {@code onMessage} runs for each message from other peers (and this node's own
     * publishes, as floodsub delivers them locally) on a node thread and must not block.
     */
    PubsubSubscription subscribe(String topic, Consumer<PubsubMessage> onMessage);

    CompletableFuture<Void> publish(String topic, byte[] data);

    void addPeerListener(PeerListener listener);

    /**
     * Connects to {@code peer} by ID: an open connection, else its known addresses, else a DHT lookup for them.
     * @return the peer once connected; fails when no address works or the DHT does not know it
     */
    default CompletableFuture<PeerId> connect(PeerId peer) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this node runs no DHT"));
    }

    /**
     * The node's Kademlia DHT.
     * @throws UnsupportedOperationException if this node runs none (test doubles)
     */
    default io.omnipeer.dht.KadDht dht() {
        throw new UnsupportedOperationException("this node runs no DHT");
    }

    /**
     * Opens a stream of {@code protocol} to {@code peer} (connecting like {@link #connect(PeerId)} first) and runs
     * {@code initializer} on the stream's event loop before any of its data is delivered.
     * @return the stream once the protocol is agreed; fails when the peer is unreachable or refuses the protocol
     */
    default CompletableFuture<io.omnipeer.core.Stream> newStream(PeerId peer, String protocol,
                                                                io.omnipeer.core.ProtocolHandler initializer) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this node opens no streams"));
    }

    /** Answers incoming streams of {@code protocol} with {@code handler} (replacing any earlier one). */
    default void setStreamHandler(String protocol, io.omnipeer.core.ProtocolHandler handler) {
        throw new UnsupportedOperationException("this node handles no streams");
    }

    /** Stops answering {@code protocol}. */
    default void removeStreamHandler(String protocol) {
        throw new UnsupportedOperationException("this node handles no streams");
    }

    /** Where the node's connections, streams, bandwidth and app storage are accounted and limited. */
    ResourceManager resources();

    CompletableFuture<Void> close();
}
