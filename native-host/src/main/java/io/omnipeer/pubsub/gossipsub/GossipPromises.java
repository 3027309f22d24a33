package io.omnipeer.pubsub.gossipsub;

import io.omnipeer.core.PeerId;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * IWANT promises: when we ask a peer for messages it advertised in IHAVE, we expect one of them (chosen at
 * random) within {@link #FOLLOW_UP_MILLIS}; a peer that advertises and then does not deliver gets a behaviour
 * penalty per broken promise.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.1.md, "Spam Protection Measures" (IWANT follow-up, P7);
 * go-libp2p-pubsub gossip_tracer.go. Not thread-safe: the router's lock guards it.
 */
final class GossipPromises {
    /** How long a peer has to deliver a message we asked for, ms (go-libp2p-pubsub GossipSubIWantFollowupTime). */
    static final long FOLLOW_UP_MILLIS = 3_000;
    /** Promises kept at once; beyond it new ones are not tracked. */
    static final int MAX_PROMISES = 10_000;

    private final Map<ByteBuffer, Map<PeerId, Long>> promises = new HashMap<>();
    private int size;

    /** We sent {@code peer} an IWANT for {@code ids}: track one of them. */
    void asked(PeerId peer, List<byte[]> ids, long now, Random random) {
        if (ids.isEmpty() || size >= MAX_PROMISES) {
            return;
        }
        ByteBuffer id = ByteBuffer.wrap(ids.get(random.nextInt(ids.size())).clone());
        if (promises.computeIfAbsent(id, k -> new HashMap<>()).putIfAbsent(peer, now + FOLLOW_UP_MILLIS) == null) {
            size++;
        }
    }

    /** The message arrived (with a valid signature): every promise for it is kept. */
    void delivered(byte[] id) {
        Map<PeerId, Long> kept = promises.remove(ByteBuffer.wrap(id));
        if (kept != null) {
            size -= kept.size();
        }
    }

    /** Removes the promises past their deadline. @return broken promises per peer */
    Map<PeerId, Integer> broken(long now) {
        Map<PeerId, Integer> out = new HashMap<>();
        Iterator<Map<PeerId, Long>> byId = promises.values().iterator();
        while (byId.hasNext()) {
            Map<PeerId, Long> peers = byId.next();
            Iterator<Map.Entry<PeerId, Long>> it = peers.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<PeerId, Long> e = it.next();
                if (now >= e.getValue()) {
                    out.merge(e.getKey(), 1, Integer::sum);
                    it.remove();
                    size--;
                }
            }
            if (peers.isEmpty()) {
                byId.remove();
            }
        }
        return out;
    }
}
