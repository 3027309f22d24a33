package io.omnipeer.pubsub.gossipsub;

/**
 * The per-topic part of the gossipsub v1.1 peer score: P1 (time in mesh), P2 (first message deliveries), P3 (mesh
 * message delivery deficit), P3b (mesh failure penalty) and P4 (invalid messages). Counters decay once per
 * heartbeat by their {@code *Decay} factor. Times in ms.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.1.md, "Topic Parameter Calculation and Decay" and "Score
 * Function".
 *
 * @param topicWeight                          weight of this topic's score in the peer's total (>= 0)
 * @param timeInMeshWeight                     P1 weight (>= 0)
 * @param timeInMeshQuantumMillis              P1 unit: P1 = time in mesh / quantum, capped (> 0)
 * @param timeInMeshCap                        P1 cap
 * @param firstMessageDeliveriesWeight         P2 weight (>= 0)
 * @param firstMessageDeliveriesDecay          P2 decay (0..1)
 * @param firstMessageDeliveriesCap            P2 counter cap
 * @param meshMessageDeliveriesWeight          P3 weight (<= 0; 0 disables P3, the default: a quiet topic would
 *                                             otherwise push every mesh peer below zero)
 * @param meshMessageDeliveriesDecay           P3 decay (0..1)
 * @param meshMessageDeliveriesCap             P3 counter cap (>= threshold)
 * @param meshMessageDeliveriesThreshold       P3: fewer deliveries than this from a mesh peer is a deficit
 * @param meshMessageDeliveriesWindowMillis    a duplicate this soon after the first delivery counts for P3
 * @param meshMessageDeliveriesActivationMillis P3 applies only after the peer has been in the mesh this long
 * @param meshFailurePenaltyWeight             P3b weight (<= 0)
 * @param meshFailurePenaltyDecay              P3b decay (0..1)
 * @param invalidMessageDeliveriesWeight       P4 weight (<= 0)
 * @param invalidMessageDeliveriesDecay        P4 decay (0..1)
 */
public record TopicScoreParams(double topicWeight,
                               double timeInMeshWeight, long timeInMeshQuantumMillis, double timeInMeshCap,
                               double firstMessageDeliveriesWeight, double firstMessageDeliveriesDecay,
                               double firstMessageDeliveriesCap,
                               double meshMessageDeliveriesWeight, double meshMessageDeliveriesDecay,
                               double meshMessageDeliveriesCap, double meshMessageDeliveriesThreshold,
                               long meshMessageDeliveriesWindowMillis, long meshMessageDeliveriesActivationMillis,
                               double meshFailurePenaltyWeight, double meshFailurePenaltyDecay,
                               double invalidMessageDeliveriesWeight, double invalidMessageDeliveriesDecay) {

    /** @throws IllegalArgumentException when a weight has the wrong sign or a decay is outside (0, 1) */
    public TopicScoreParams {
        require(topicWeight >= 0, "topicWeight must be >= 0");
        require(timeInMeshWeight >= 0 && timeInMeshQuantumMillis > 0 && timeInMeshCap >= 0, "P1: weight >= 0, quantum > 0, cap >= 0");
        require(firstMessageDeliveriesWeight >= 0 && decay(firstMessageDeliveriesDecay) && firstMessageDeliveriesCap >= 0,
                "P2: weight >= 0, decay in (0, 1), cap >= 0");
        require(meshMessageDeliveriesWeight <= 0 && decay(meshMessageDeliveriesDecay) && meshMessageDeliveriesThreshold >= 0
                        && meshMessageDeliveriesCap >= meshMessageDeliveriesThreshold && meshMessageDeliveriesWindowMillis >= 0
                        && meshMessageDeliveriesActivationMillis >= 0,
                "P3: weight <= 0, decay in (0, 1), cap >= threshold >= 0, window and activation >= 0");
        require(meshFailurePenaltyWeight <= 0 && decay(meshFailurePenaltyDecay), "P3b: weight <= 0, decay in (0, 1)");
        require(invalidMessageDeliveriesWeight <= 0 && decay(invalidMessageDeliveriesDecay), "P4: weight <= 0, decay in (0, 1)");
    }

    /**
     * Omnipeer's defaults for every topic: P1 up to +1 after an hour in the mesh (quantum 1 s, weight 1/3600),
     * P2 +1 per first delivery up to 10 (half-life about 10 min at a 1 s heartbeat), P3/P3b off (apps that know
     * their topic's rate turn them on), P4 -10 per squared invalid message (half-life about 1 h).
     */
    public static TopicScoreParams defaults() {
        return new TopicScoreParams(1,
                1.0 / 3600, 1_000, 3600,
                1, 0.999, 10,
                0, 0.97, 20, 0, 10, 60_000,
                0, 0.97,
                -10, 0.9998);
    }

    /** These parameters with P3 and P3b enabled: {@code threshold} deliveries expected, weights {@code weight}. */
    public TopicScoreParams withMeshDeliveries(double weight, double threshold, double cap, long windowMillis,
                                               long activationMillis, double failureWeight) {
        return new TopicScoreParams(topicWeight, timeInMeshWeight, timeInMeshQuantumMillis, timeInMeshCap,
                firstMessageDeliveriesWeight, firstMessageDeliveriesDecay, firstMessageDeliveriesCap,
                weight, meshMessageDeliveriesDecay, cap, threshold, windowMillis, activationMillis,
                failureWeight, meshFailurePenaltyDecay, invalidMessageDeliveriesWeight, invalidMessageDeliveriesDecay);
    }

    private static boolean decay(double d) {
        return d > 0 && d < 1;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
