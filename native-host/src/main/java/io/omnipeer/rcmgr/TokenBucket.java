package io.omnipeer.rcmgr;

import java.util.function.LongSupplier;

/**
 * A token bucket counted in bytes: fills at {@code rate} bytes per second up to a burst of
 * {@code max(MIN_BURST, rate × BURST_MILLIS)}; taking more than is there leaves it in debt, and the caller waits
 * until the debt is paid back. Paying back by elapsed time (not by timer ticks) keeps the long-run rate exact even
 * when timers fire late: while a caller waits (it asked {@link #nanosUntilAvailable()} and was told to wait) the
 * bucket may fill up to {@link #LATE_MILLIS} of the rate, so a late wake-up is made up for; when nobody waits it
 * fills only to the burst, so an idle or starved stream does not bank a large burst.
 *
 * <p>Rate 0 means unlimited: {@link #take} never makes anyone wait. Thread-safe (the streams of one app share a
 * bucket across event loops).
 */
public final class TokenBucket {
    /** Burst after idle, as time at the current rate. */
    static final long BURST_MILLIS = 100;
    /**
     * How late a waiting caller's wake-up may be and still be made up for: on a loaded machine an event loop busy
     * with another stream's data stalls for tens to hundreds of milliseconds (with only 100 ms a capped stream next
     * to a saturating one lost 9% of its rate).
     */
    static final long LATE_MILLIS = 500;
    /** Smallest burst in bytes, so that slow rates still pass whole frames. */
    static final long MIN_BURST = 16 * 1024;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final LongSupplier nanoClock;
    private volatile long rate;
    private long burst;
    private double tokens;
    private long last;
    private boolean waiter;

    /** An unlimited bucket on {@link System#nanoTime()}. */
    public TokenBucket() {
        this(System::nanoTime);
    }

    TokenBucket(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.last = nanoClock.getAsLong();
    }

    /** Bytes per second; 0 = unlimited. */
    public long rate() {
        return rate;
    }

    /**
     * Changes the rate from now on; a full bucket stays full (capped to the new burst), debt is kept.
     * @param bytesPerSecond 0 = unlimited
     */
    public synchronized void setRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative: " + bytesPerSecond);
        }
        refill();
        boolean wasUnlimited = rate == 0;
        rate = bytesPerSecond;
        burst = Math.max(MIN_BURST, rate * BURST_MILLIS / 1000);
        tokens = rate == 0 ? 0 : wasUnlimited ? burst : Math.min(tokens, burst);
    }

    /**
     * Takes {@code bytes} (already sent or received), going into debt if needed.
     * @return nanoseconds until the bucket is out of debt (0 when not in debt or unlimited)
     */
    public long take(long bytes) {
        if (rate == 0) {
            return 0; // unlimited: no lock on the hot path
        }
        synchronized (this) {
            refill();
            tokens -= bytes;
            return waitNanos();
        }
    }

    /**
     * Nanoseconds until the bucket is out of debt; 0 when bytes may flow now. Ask only when bytes are waiting to
     * flow: a positive answer marks a waiter, whose late wake-up the bucket then makes up for.
     */
    public long nanosUntilAvailable() {
        if (rate == 0) {
            return 0;
        }
        synchronized (this) {
            refill();
            long wait = waitNanos();
            waiter = wait > 0;
            return wait;
        }
    }

    private long waitNanos() {
        long r = rate;
        return tokens >= 0 || r == 0 ? 0 : (long) Math.ceil(-tokens * NANOS_PER_SECOND / r);
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - last;
        last = now;
        if (rate > 0 && elapsed > 0) {
            double cap = waiter ? Math.max(burst, (double) rate * LATE_MILLIS / 1000) : burst;
            tokens = Math.min(cap, tokens + (double) elapsed * rate / NANOS_PER_SECOND);
        }
    }
}
