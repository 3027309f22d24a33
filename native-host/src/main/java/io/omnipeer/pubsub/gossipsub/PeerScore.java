package io.omnipeer.pubsub.gossipsub;

import io.omnipeer.core.PeerId;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Gossipsub v1.1 peer score, the two components that need no per-topic delivery accounting:
 * P4 (invalid messages: bad signature or validator REJECT) and P7 (behaviour penalty: GRAFT during backoff,
 * IWANT floods), each a counter squared times a negative weight, decayed every heartbeat. The score is held
 * against the v1.1 thresholds: below {@link Thresholds#gossip()} no IHAVE/IWANT to or from the peer; below
 * {@link Thresholds#publish()} no flood publishing to it; below {@link Thresholds#graylist()} all its RPCs are
 * ignored; peer exchange only from peers at or above {@link Thresholds#acceptPx()}. Negative peers are never
 * grafted and are pruned at the heartbeat.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.1.md, "Peer Scoring" (P4, P7, "Score Thresholds").
 * Not thread-safe: the router guards it with its lock.
 */
final class PeerScore {
    /**
     * @param gossip   below this, gossip is neither emitted to nor accepted from the peer (v1.1 gossipThreshold)
     * @param publish  below this, our own messages are not flood-published to the peer (publishThreshold)
     * @param graylist below this, every RPC from the peer is ignored (graylistThreshold)
     * @param acceptPx PRUNE peer exchange is followed only from peers scoring at least this (acceptPXThreshold)
     */
    record Thresholds(double gossip, double publish, double graylist, double acceptPx) {
        Thresholds {
            if (!(graylist < publish && publish <= gossip && gossip <= 0 && acceptPx >= 0)) {
                throw new IllegalArgumentException("need graylist < publish <= gossip <= 0 <= acceptPx");
            }
        }

        static Thresholds defaults() {
            return new Thresholds(-10, -50, -80, 0);
        }
    }

    /** P4 weight per squared invalid message (spec: negative, per topic; one global weight here). */
    static final double INVALID_MESSAGE_WEIGHT = -10;
    /** P7 weight per squared behaviour penalty (BehaviourPenaltyWeight). */
    static final double BEHAVIOUR_PENALTY_WEIGHT = -1;
    /** Per-heartbeat multiplier of both counters (BehaviourPenaltyDecay); half-life 69 heartbeats (0.99^69 = 0.5). */
    static final double DECAY = 0.99;
    /** A counter below this is zeroed (DecayToZero). */
    static final double DECAY_TO_ZERO = 0.01;
    /** Peers whose counters are kept, connected or recently gone (RetainScore), so reconnecting does not reset them. */
    static final int MAX_SCORED_PEERS = 10_000;

    private static final class Counters {
        double invalid;
        double behaviour;
    }

    private final Thresholds thresholds;
    private final Map<PeerId, Counters> counters = new HashMap<>();

    PeerScore(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    Thresholds thresholds() {
        return thresholds;
    }

    double score(PeerId peer) {
        Counters c = counters.get(peer);
        return c == null ? 0 : INVALID_MESSAGE_WEIGHT * c.invalid * c.invalid + BEHAVIOUR_PENALTY_WEIGHT * c.behaviour * c.behaviour;
    }

    double behaviourPenalty(PeerId peer) {
        Counters c = counters.get(peer);
        return c == null ? 0 : c.behaviour;
    }

    void addBehaviourPenalty(PeerId peer, Predicate<PeerId> connected) {
        of(peer, connected).behaviour += 1;
    }

    void addInvalidMessage(PeerId peer, Predicate<PeerId> connected) {
        of(peer, connected).invalid += 1;
    }

    boolean graylisted(PeerId peer) {
        return score(peer) < thresholds.graylist();
    }

    boolean acceptsGossip(PeerId peer) {
        return score(peer) >= thresholds.gossip();
    }

    boolean acceptsPublish(PeerId peer) {
        return score(peer) >= thresholds.publish();
    }

    boolean acceptsPeerExchange(PeerId peer) {
        return score(peer) >= thresholds.acceptPx();
    }

    /** Once per heartbeat. */
    void decay() {
        Iterator<Counters> it = counters.values().iterator();
        while (it.hasNext()) {
            Counters c = it.next();
            c.invalid = c.invalid * DECAY < DECAY_TO_ZERO ? 0 : c.invalid * DECAY;
            c.behaviour = c.behaviour * DECAY < DECAY_TO_ZERO ? 0 : c.behaviour * DECAY;
            if (c.invalid == 0 && c.behaviour == 0) {
                it.remove();
            }
        }
    }

    private Counters of(PeerId peer, Predicate<PeerId> connected) {
        if (counters.size() >= MAX_SCORED_PEERS && !counters.containsKey(peer)) {
            counters.keySet().removeIf(p -> !connected.test(p));
        }
        return counters.computeIfAbsent(peer, p -> new Counters());
    }
}
