package io.omnipeer.rcmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token bucket and rate meter arithmetic on a hand-driven clock. */
class TokenBucketTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void debtIsPaidBackAtTheRate() {
        TokenBucket bucket = new TokenBucket(now::get);
        bucket.setRate(100_000);
        long burst = Math.max(TokenBucket.MIN_BURST, 100_000 * TokenBucket.BURST_MILLIS / 1000);
        assertThat(bucket.take(burst)).isZero();
        assertThat(bucket.take(50_000)).isEqualTo(500_000_000L);
        now.addAndGet(250_000_000L);
        assertThat(bucket.nanosUntilAvailable()).isEqualTo(250_000_000L);
        now.addAndGet(250_000_000L);
        assertThat(bucket.nanosUntilAvailable()).isZero();
    }

    @Test
    void idleTimeFillsAtMostTheBurst() {
        TokenBucket bucket = new TokenBucket(now::get);
        bucket.setRate(1_000_000);
        now.addAndGet(60_000_000_000L);
        long burst = 1_000_000 * TokenBucket.BURST_MILLIS / 1000;
        assertThat(bucket.take(burst)).isZero();
        assertThat(bucket.take(1000)).isEqualTo(1_000_000L);
    }

    @Test
    void aWaiterWokenLateCatchesUpButAnIdleBucketOnlyBanksTheBurst() {
        TokenBucket bucket = new TokenBucket(now::get);
        bucket.setRate(1_000_000);
        long burst = 1_000_000 * TokenBucket.BURST_MILLIS / 1000;
        bucket.take(burst + 10_000);
        assertThat(bucket.nanosUntilAvailable()).isEqualTo(10_000_000L);
        now.addAndGet(10_000_000L + 300_000_000L); // woken 300 ms late
        assertThat(bucket.nanosUntilAvailable()).isZero();
        assertThat(bucket.take(300_000)).as("the 300 ms are made up for").isZero();
        assertThat(bucket.take(1)).isPositive();

        TokenBucket idle = new TokenBucket(now::get);
        idle.setRate(1_000_000);
        idle.take(burst + 10_000); // then nobody waits
        now.addAndGet(10_000_000L + 300_000_000L);
        assertThat(idle.take(burst)).isZero();
        assertThat(idle.take(1)).as("only the burst was banked").isPositive();
    }

    @Test
    void zeroRateIsUnlimitedAndForgetsDebt() {
        TokenBucket bucket = new TokenBucket(now::get);
        bucket.setRate(1000);
        assertThat(bucket.take(1 << 20)).isPositive();
        bucket.setRate(0);
        assertThat(bucket.take(1L << 40)).isZero();
        assertThat(bucket.nanosUntilAvailable()).isZero();
    }

    @Test
    void rateMeterAveragesOverItsWindowAndForgetsOldSlots() {
        RateMeter meter = new RateMeter(now::get);
        now.addAndGet(RateMeter.SLOT_MILLIS * 1_000_000);
        meter.add(1000);
        assertThat(meter.perSecond()).isEqualTo(4000.0);
        now.addAndGet(RateMeter.SLOTS * RateMeter.SLOT_MILLIS * 1_000_000);
        assertThat(meter.perSecond()).isZero();
        assertThat(meter.total()).isEqualTo(1000);
    }
}
