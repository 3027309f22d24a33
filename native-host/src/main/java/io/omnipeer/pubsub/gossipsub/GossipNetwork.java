package io.omnipeer.pubsub.gossipsub;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.pubsub.RpcSink;
import io.omnipeer.pubsub.pb.PubsubProtos.RPC;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Everything {@link GossipRouter} needs from the network below it: who we are, which peers come and go, their
 * RPCs, and a way to open our outbound stream to each. {@link HostGossipNetwork} binds it to a libp2p
 * {@link io.omnipeer.core.Host} (yamux streams, multistream-select); the simulator ({@code io.omnipeer.sim}) binds
 * it to in-memory links in virtual time, so the mesh and gossip logic it measures is the production code.
 * Spec: libp2p/specs pubsub/README.md, "Stream management".
 *
 * <p>Implementations are thread-safe; {@link Events} may be called from any thread, never concurrently for one peer.
 */
public interface GossipNetwork {
    /** The local peer. */
    PeerId localPeer();

    /** The key our messages are signed with (StrictSign). */
    PrivateKey localKey();

    /**
     * Starts reporting to {@code events}: from now on inbound pubsub streams, their RPCs, and connections opening and
     * closing; peers already connected are reported through {@link Events#peerConnected} before this returns.
     */
    void start(Events events);

    /** Stops reporting and refuses new inbound pubsub streams. */
    void stop();

    /**
     * Opens our long-lived outbound stream to a connected {@code peer}, offering {@code protocols} in order of preference.
     *
     * @return completes with the stream (its {@link RpcSink#protocol()} is the one agreed), or fails if the peer is gone
     *         or supports none of them
     */
    CompletableFuture<RpcSink> openStream(PeerId peer, List<String> protocols);

    /** True if the connection to {@code peer} was dialled by us (gossipsub v1.1 accepts outbound GRAFTs above D_hi). */
    boolean isOutbound(PeerId peer);

    /** True if a connection to {@code peer} is open. */
    boolean isConnected(PeerId peer);

    /**
     * Peer exchange (v1.1 "PRUNE Backoff and Peer Exchange"): dials {@code peer} if an address for it is known.
     *
     * @return true if a dial was started; false if no address is known (the peer is then skipped)
     */
    boolean connect(PeerId peer);

    /**
     * The remote IP of the connection to {@code peer}, for the v1.1 IP colocation score (P6); empty when unknown or
     * exempt (loopback: several nodes on one machine is how tests and demos run).
     */
    default Optional<String> remoteIp(PeerId peer) {
        return Optional.empty();
    }

    /** What the network reports to the router. */
    interface Events {
        /** A connection to {@code peer} opened (the router opens its outbound pubsub stream). */
        void peerConnected(PeerId peer);

        /** The last connection to {@code peer} closed. */
        void peerDisconnected(PeerId peer);

        /** {@code peer} opened its pubsub stream to us with {@code protocol}; its RPCs follow through {@link #rpc}. */
        void inboundStream(PeerId peer, String protocol);

        /**
         * One RPC from {@code peer}.
         *
         * @throws io.omnipeer.core.DecodingException if it breaks the protocol: the caller resets that peer's stream
         */
        void rpc(PeerId peer, RPC rpc);
    }
}
