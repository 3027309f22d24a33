package io.omnipeer.pubsub.gossipsub;

import java.util.Map;

/**
 * The global part of the gossipsub v1.1 peer score and the thresholds it is held against. Times in ms; counters
 * decay once per heartbeat.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.1.md, "Peer Scoring", "Score Thresholds", "Opportunistic
 * Grafting".
 *
 * @param topics                     per-topic parameters; a topic not listed uses {@code defaultTopic}
 * @param defaultTopic               parameters of every other topic
 * @param topicScoreCap              the sum of topic scores is capped at this (0 = no cap); negatives never are
 * @param appSpecificWeight          P5 weight, times the application's score of the peer
 * @param ipColocationFactorWeight   P6 weight (<= 0), times (peers sharing the IP − threshold)²
 * @param ipColocationFactorThreshold P6 applies only above this many peers on one IP
 * @param behaviourPenaltyWeight     P7 weight (<= 0), times (penalty − threshold)²
 * @param behaviourPenaltyThreshold  P7 applies only above this penalty
 * @param behaviourPenaltyDecay      P7 decay (0..1)
 * @param decayToZero                a decayed counter below this becomes 0
 * @param retainScoreMillis          a disconnected peer's counters are kept this long, so reconnecting keeps
 *                                   its penalties
 * @param gossipThreshold            below this, no IHAVE/IWANT to or from the peer (<= 0)
 * @param publishThreshold           below this, no flood publishing to the peer (<= gossipThreshold)
 * @param graylistThreshold          below this, every RPC of the peer is ignored (< publishThreshold)
 * @param acceptPxThreshold          PRUNE peer exchange is followed only from peers at or above this (>= 0)
 * @param opportunisticGraftThreshold when the median mesh score falls below this, better peers are grafted (>= 0)
 */
public record PeerScoreParams(Map<String, TopicScoreParams> topics, TopicScoreParams defaultTopic,
                              double topicScoreCap, double appSpecificWeight,
                              double ipColocationFactorWeight, int ipColocationFactorThreshold,
                              double behaviourPenaltyWeight, double behaviourPenaltyThreshold,
                              double behaviourPenaltyDecay, double decayToZero, long retainScoreMillis,
                              double gossipThreshold, double publishThreshold, double graylistThreshold,
                              double acceptPxThreshold, double opportunisticGraftThreshold) {

    /** @throws IllegalArgumentException when a weight has the wrong sign or the thresholds are out of order */
    public PeerScoreParams {
        topics = Map.copyOf(topics);
        if (!(graylistThreshold < publishThreshold && publishThreshold <= gossipThreshold && gossipThreshold <= 0
                && acceptPxThreshold >= 0 && opportunisticGraftThreshold >= 0)) {
            throw new IllegalArgumentException("need graylist < publish <= gossip <= 0 <= acceptPx, opportunisticGraft >= 0");
        }
        if (topicScoreCap < 0 || ipColocationFactorWeight > 0 || ipColocationFactorThreshold < 1
                || behaviourPenaltyWeight > 0 || behaviourPenaltyThreshold < 0
                || !(behaviourPenaltyDecay > 0 && behaviourPenaltyDecay < 1) || decayToZero <= 0 || retainScoreMillis < 0) {
            throw new IllegalArgumentException("need topicScoreCap >= 0, P6/P7 weights <= 0, P6 threshold >= 1, "
                    + "P7 threshold >= 0, P7 decay in (0, 1), decayToZero > 0, retainScore >= 0");
        }
    }

    /**
     * Omnipeer's defaults: topic scores capped at 10; P5 weight 1; P6 -5 per squared peer beyond 10 on one IP
     * (loopback is exempt: several nodes on one machine is how tests and demos run); P7 -1 per squared penalty
     * beyond 1, half-life 69 heartbeats (0.99^69 = 0.5); scores retained 1 h; thresholds gossip -10, publish -50,
     * graylist -80, accept PX 0 (any peer with a non-negative score), opportunistic graft 1.
     */
    public static PeerScoreParams defaults() {
        return new PeerScoreParams(Map.of(), TopicScoreParams.defaults(), 10, 1, -5, 10, -1, 1, 0.99, 0.01,
                3_600_000, -10, -50, -80, 0, 1);
    }

    /** These parameters with {@code params} for {@code topic}. */
    public PeerScoreParams withTopic(String topic, TopicScoreParams params) {
        Map<String, TopicScoreParams> more = new java.util.HashMap<>(topics);
        more.put(topic, params);
        return new PeerScoreParams(more, defaultTopic, topicScoreCap, appSpecificWeight, ipColocationFactorWeight,
                ipColocationFactorThreshold, behaviourPenaltyWeight, behaviourPenaltyThreshold, behaviourPenaltyDecay,
                decayToZero, retainScoreMillis, gossipThreshold, publishThreshold, graylistThreshold, acceptPxThreshold,
                opportunisticGraftThreshold);
    }

    /** The parameters of {@code topic}. */
    public TopicScoreParams topic(String topic) {
        return topics.getOrDefault(topic, defaultTopic);
    }
}
