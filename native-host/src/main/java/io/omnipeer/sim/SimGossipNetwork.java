package io.omnipeer.sim;

import com.google.protobuf.InvalidProtocolBufferException;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.pubsub.RpcSink;
import io.omnipeer.pubsub.gossipsub.GossipNetwork;
import io.omnipeer.pubsub.gossipsub.GossipRouter;
import io.omnipeer.pubsub.pb.PubsubProtos.RPC;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A node's {@link GossipNetwork} in the simulation: RPCs travel as the bytes the router encoded, arrive one link
 * latency later and are parsed by the receiver (an RPC over {@link GossipRouter#MAX_RPC_BYTES} is dropped, as the
 * production frame decoder would reset the stream). Opening a stream takes one round trip; every simulated node
 * speaks {@code /meshsub/1.1.0}. Counts the RPCs and bytes it sends. Not thread-safe: simulation thread only.
 */
final class SimGossipNetwork implements GossipNetwork {
    private final Overlay overlay;
    private final SimNode node;
    private final TrafficCounter traffic;
    private Events events;

    SimGossipNetwork(Overlay overlay, SimNode node, TrafficCounter traffic) {
        this.overlay = overlay;
        this.node = node;
        this.traffic = traffic;
    }

    @Override
    public PeerId localPeer() {
        return node.id();
    }

    @Override
    public PrivateKey localKey() {
        return node.key();
    }

    @Override
    public void start(Events sink) {
        this.events = sink;
        List.copyOf(node.links.keySet()).forEach(sink::peerConnected);
    }

    @Override
    public void stop() {
        events = null;
    }

    @Override
    public CompletableFuture<RpcSink> openStream(PeerId peer, List<String> protocols) {
        SimNode remote = overlay.node(peer);
        CompletableFuture<RpcSink> opened = new CompletableFuture<>();
        if (remote == null || !node.links.containsKey(peer) || !protocols.contains(GossipRouter.MESHSUB_V11)) {
            opened.completeExceptionally(new IllegalStateException("no connection to " + peer));
            return opened;
        }
        int oneWay = overlay.latency(node, remote);
        overlay.clock().schedule(oneWay, () -> {
            if (remote.isAlive() && remote.links.containsKey(node.id()) && remote.gossipNetwork != null) {
                remote.gossipNetwork.inboundStream(node.id());
            }
        });
        overlay.clock().schedule(2L * oneWay, () -> {
            if (node.isAlive() && remote.isAlive() && node.links.containsKey(peer) && remote.gossipNetwork != null
                    && remote.gossipNetwork.events != null) {
                opened.complete(new Link(remote, oneWay));
            } else {
                opened.completeExceptionally(new IllegalStateException("stream to " + peer + " refused"));
            }
        });
        return opened;
    }

    @Override
    public boolean isOutbound(PeerId peer) {
        return Boolean.TRUE.equals(node.links.get(peer));
    }

    @Override
    public boolean isConnected(PeerId peer) {
        return node.links.containsKey(peer);
    }

    @Override
    public boolean connect(PeerId peer) {
        SimNode remote = overlay.node(peer);
        if (remote == null) {
            return false;
        }
        overlay.connect(node, remote);
        return true;
    }

    void connected(PeerId peer) {
        if (events != null) {
            events.peerConnected(peer);
        }
    }

    void disconnected(PeerId peer) {
        if (events != null) {
            events.peerDisconnected(peer);
        }
    }

    private void inboundStream(PeerId peer) {
        if (events != null) {
            events.inboundStream(peer, GossipRouter.MESHSUB_V11);
        }
    }

    private void deliver(PeerId from, byte[] bytes) {
        if (events == null || !node.links.containsKey(from)) {
            return;
        }
        try {
            events.rpc(from, RPC.parseFrom(bytes));
        } catch (InvalidProtocolBufferException | DecodingException e) {
            traffic.rejected++;
        }
    }

    /** Our outbound stream to one peer. */
    private final class Link implements RpcSink {
        private final SimNode remote;
        private final int oneWay;

        Link(SimNode remote, int oneWay) {
            this.remote = remote;
            this.oneWay = oneWay;
        }

        @Override
        public String protocol() {
            return GossipRouter.MESHSUB_V11;
        }

        @Override
        public boolean isOpen() {
            return node.isAlive() && remote.isAlive() && node.links.containsKey(remote.id());
        }

        @Override
        public void send(byte[] rpc) {
            if (!isOpen() || rpc.length > GossipRouter.MAX_RPC_BYTES) {
                return;
            }
            traffic.rpcs++;
            traffic.bytes += rpc.length;
            overlay.clock().schedule(oneWay, () -> {
                if (remote.isAlive() && remote.gossipNetwork != null) {
                    remote.gossipNetwork.deliver(node.id(), rpc);
                }
            });
        }

        @Override
        public void close() {
            // the connection stays; closing our pubsub stream alone has no effect the simulation measures
        }
    }
}
