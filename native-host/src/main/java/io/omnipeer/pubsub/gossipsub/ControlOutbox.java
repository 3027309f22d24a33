package io.omnipeer.pubsub.gossipsub;

import com.google.protobuf.ByteString;
import io.omnipeer.core.PeerId;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlGraft;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlIHave;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlIWant;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlMessage;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlPrune;
import io.omnipeer.pubsub.pb.PubsubProtos.PeerInfo;
import io.omnipeer.pubsub.pb.PubsubProtos.RPC;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the control messages decided during one heartbeat or one inbound RPC, then hands out one
 * RPC per peer, so a peer gets its GRAFTs, PRUNEs and IHAVEs piggybacked together.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.0.md, "Control Messages" (piggybacking).
 * Not thread-safe: used under the router's lock.
 */
final class ControlOutbox {
    private final Map<PeerId, ControlMessage.Builder> pending = new HashMap<>();

    private ControlMessage.Builder of(PeerId peer) {
        return pending.computeIfAbsent(peer, p -> ControlMessage.newBuilder());
    }

    void graft(PeerId peer, String topic) {
        of(peer).addGraft(ControlGraft.newBuilder().setTopicID(topic));
    }

    /** PRUNE with a backoff in seconds and, for v1.1 peers, peer exchange candidates. */
    void prune(PeerId peer, String topic, long backoffSeconds, Collection<PeerId> exchange) {
        ControlPrune.Builder prune = ControlPrune.newBuilder().setTopicID(topic).setBackoff(backoffSeconds);
        for (PeerId other : exchange) {
            prune.addPeers(PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(other.bytes())));
        }
        of(peer).addPrune(prune);
    }

    void ihave(PeerId peer, String topic, List<byte[]> ids) {
        ControlIHave.Builder ihave = ControlIHave.newBuilder().setTopicID(topic);
        ids.forEach(id -> ihave.addMessageIDs(ByteString.copyFrom(id)));
        of(peer).addIhave(ihave);
    }

    void iwant(PeerId peer, List<ByteString> ids) {
        of(peer).addIwant(ControlIWant.newBuilder().addAllMessageIDs(ids));
    }

    /** The pending RPCs, one per peer, and empties the outbox. */
    Map<PeerId, RPC> drain() {
        Map<PeerId, RPC> out = new HashMap<>();
        pending.forEach((peer, control) -> out.put(peer, RPC.newBuilder().setControl(control).build()));
        pending.clear();
        return out;
    }
}
