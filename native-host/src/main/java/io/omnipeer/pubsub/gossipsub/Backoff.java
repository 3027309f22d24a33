package io.omnipeer.pubsub.gossipsub;

import io.omnipeer.core.PeerId;

import java.util.HashMap;
import java.util.Map;

/**
 * PRUNE backoff per (topic, peer): while it runs we neither GRAFT the peer nor accept its GRAFT.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.1.md, "PRUNE Backoff and Peer Exchange".
 * Not thread-safe: the router guards it with its lock. Sized by topics × connected peers.
 */
final class Backoff {
    /** Longest backoff we accept from a remote PRUNE (a peer cannot make us shun it for ever), ms. */
    static final long MAX_BACKOFF_MILLIS = 60L * 60 * 1000;

    private final Map<String, Map<PeerId, Long>> until = new HashMap<>();

    void add(String topic, PeerId peer, long durationMillis, long nowMillis) {
        long end = nowMillis + Math.min(durationMillis, MAX_BACKOFF_MILLIS);
        until.computeIfAbsent(topic, t -> new HashMap<>()).merge(peer, end, Math::max);
    }

    boolean isBackedOff(String topic, PeerId peer, long nowMillis) {
        Map<PeerId, Long> peers = until.get(topic);
        Long end = peers == null ? null : peers.get(peer);
        return end != null && end > nowMillis;
    }

    void forgetPeer(PeerId peer) {
        until.values().forEach(m -> m.remove(peer));
    }

    void expire(long nowMillis) {
        until.values().forEach(m -> m.values().removeIf(end -> end <= nowMillis));
        until.values().removeIf(Map::isEmpty);
    }
}
