package io.omnipeer.sim;

import io.omnipeer.pubsub.gossipsub.GossipTimer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EventSchedulerTest {

    @Test
    void runsEventsInTimeOrderThenInSchedulingOrder() {
        EventScheduler clock = new EventScheduler();
        List<String> ran = new ArrayList<>();
        clock.schedule(30, () -> ran.add("c@" + clock.nowMillis()));
        clock.schedule(10, () -> ran.add("a@" + clock.nowMillis()));
        clock.schedule(10, () -> ran.add("b@" + clock.nowMillis()));
        clock.schedule(5, () -> clock.schedule(5, () -> ran.add("nested@" + clock.nowMillis())));

        clock.runUntil(100);

        assertThat(ran).containsExactly("a@10", "b@10", "nested@10", "c@30");
        assertThat(clock.nowMillis()).isEqualTo(100);
        assertThat(clock.executed()).isEqualTo(5);
    }

    @Test
    void stopsAtTheGivenTimeAndSkipsCancelledEvents() {
        EventScheduler clock = new EventScheduler();
        List<Long> ran = new ArrayList<>();
        EventScheduler.Event cancelled = clock.schedule(20, () -> ran.add(-1L));
        clock.schedule(40, () -> ran.add(clock.nowMillis()));
        cancelled.cancel();

        clock.runUntil(30);
        assertThat(ran).isEmpty();
        clock.runUntil(40);
        assertThat(ran).containsExactly(40L);
    }

    @Test
    void aFailingTaskIsCountedAndTheRunGoesOn() {
        EventScheduler clock = new EventScheduler();
        List<Long> ran = new ArrayList<>();
        clock.schedule(1, () -> {
            throw new IllegalStateException("boom");
        });
        clock.schedule(2, () -> ran.add(clock.nowMillis()));

        clock.runUntil(10);

        assertThat(clock.failures()).isEqualTo(1);
        assertThat(ran).containsExactly(2L);
    }

    @Test
    void gossipTimerRepeatsWithItsPeriodFromARandomPhaseUntilCancelled() {
        EventScheduler clock = new EventScheduler();
        GossipTimer timer = clock.gossipTimer(new Random(7));
        List<Long> beats = new ArrayList<>();
        GossipTimer.Cancellable c = timer.every(1_000, () -> beats.add(timer.nowMillis()));

        clock.runUntil(3_999);
        c.cancel();
        clock.runUntil(10_000);

        assertThat(beats).hasSize(4);
        assertThat(beats.getFirst()).isBetween(1L, 1_000L);
        for (int i = 1; i < beats.size(); i++) {
            assertThat(beats.get(i) - beats.get(i - 1)).isEqualTo(1_000);
        }
    }

    @Test
    void linkLatencyIsSymmetricStableAndInRange() {
        LinkLatency latency = new LinkLatency(3, 10, 100);
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int a = 0; a < 200; a++) {
            for (int b = a + 1; b < 200; b++) {
                int l = latency.millis(a, b);
                assertThat(latency.millis(b, a)).isEqualTo(l);
                min = Math.min(min, l);
                max = Math.max(max, l);
            }
        }
        assertThat(min).isEqualTo(10);
        assertThat(max).isEqualTo(100);
        assertThat(new LinkLatency(3, 10, 100).millis(5, 9)).isEqualTo(latency.millis(5, 9));
    }
}
