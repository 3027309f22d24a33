package io.omnipeer.sim;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1,000 simulated nodes run the production Kademlia lookup over in-memory links in virtual time. No timing
 * assertions: lookups must find their target, in about log2(N) hops at most.
 */
class DhtSimulationTest {
    private static final double LOG2_N = Math.log(1_000) / Math.log(2);

    @Test
    void lookupsFindTheirTargetWithinLog2NHops() {
        DhtFigures f = new DhtSimulation(DhtSimConfig.of(1_000, 300, 0, 1)).run();
        System.out.println(f);

        assertThat(f.failures()).isZero();
        assertThat(f.lookups()).isEqualTo(300);
        assertThat(f.successRate()).isGreaterThanOrEqualTo(0.99);
        assertThat(f.closestRecall()).isGreaterThanOrEqualTo(0.95);
        assertThat((double) f.hopsP95()).isLessThanOrEqualTo(LOG2_N);
        assertThat(f.failuresMean()).isZero();
    }

    @Test
    void lookupsStillSucceedWhileNodesComeAndGo() {
        DhtFigures f = new DhtSimulation(DhtSimConfig.of(1_000, 300, 0.05, 2)).run();
        System.out.println(f);

        assertThat(f.failures()).isZero();
        assertThat(f.left()).isPositive();
        assertThat(f.joined()).isEqualTo(f.left());
        assertThat(f.failuresMean()).isPositive(); // departed peers were asked and timed out
        assertThat(f.successRate()).isGreaterThanOrEqualTo(0.95);
        assertThat((double) f.hopsP95()).isLessThanOrEqualTo(LOG2_N);
    }
}
