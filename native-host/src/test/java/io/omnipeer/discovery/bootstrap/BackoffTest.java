package io.omnipeer.discovery.bootstrap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    @Test
    void delaysGrowExponentiallyWithinJitterAndCap() {
        Backoff backoff = new Backoff(1_000, 8_000);
        long[][] bounds = {{500, 1_000}, {1_000, 2_000}, {2_000, 4_000}, {4_000, 8_000}, {4_000, 8_000}};
        for (long[] bound : bounds) {
            assertThat(backoff.nextDelayMillis()).isBetween(bound[0], bound[1]);
        }
        assertThat(backoff.failures()).isEqualTo(5);
    }

    @Test
    void resetStartsOver() {
        Backoff backoff = new Backoff(100, 10_000);
        for (int i = 0; i < 10; i++) {
            backoff.nextDelayMillis();
        }
        backoff.reset();
        assertThat(backoff.nextDelayMillis()).isBetween(50L, 100L);
    }

    @Test
    void manyFailuresNeverOverflow() {
        Backoff backoff = new Backoff(1, 60_000);
        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.nextDelayMillis()).isBetween(0L, 60_000L);
        }
    }

    @Test
    void rejectsBadBounds() {
        assertThatThrownBy(() -> new Backoff(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(10, 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
