package io.omnipeer.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 simulated nodes run the production gossipsub router over in-memory links in virtual time. No timing
 * assertions: only what the protocol must achieve (every message reaches the subscribers, with bounded duplicates).
 */
class GossipSimulationTest {

    @Test
    void everyMessageReachesEverySubscriberWithoutChurn() {
        GossipFigures f = new GossipSimulation(GossipSimConfig.of(1_000, 20, 0, 1)).run();
        System.out.println(f);

        assertThat(f.failures()).isZero();
        assertThat(f.deliveryRate()).isGreaterThanOrEqualTo(0.999);
        assertThat(f.meanMeshDegree()).isBetween(4.0, 12.0);
        // flood publish to ~16 peers plus mesh forwarding at D=6: each node sees each message a handful of times
        assertThat(f.duplicateRatio()).isBetween(1.0, 16.0);
    }

    @Test
    void messagesStillArriveUnderChurn() {
        GossipFigures f = new GossipSimulation(GossipSimConfig.of(1_000, 20, 0.05, 2)).run();
        System.out.println(f);

        assertThat(f.failures()).isZero();
        assertThat(f.left()).isPositive();
        assertThat(f.deliveryRate()).isGreaterThanOrEqualTo(0.99);
    }
}
