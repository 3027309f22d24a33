package io.omnipeer.discovery.bootstrap;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter for redials: the n-th retry waits a random time in
 * [base·2^(n-1)/2, base·2^(n-1)], capped at {@code maxMillis}. Not thread-safe; one per target.
 */
public final class Backoff {
    private final long baseMillis;
    private final long maxMillis;
    private int failures;

    /**
     * @param baseMillis delay before the first retry, in milliseconds (> 0)
     * @param maxMillis  longest delay, in milliseconds (>= baseMillis)
     */
    public Backoff(long baseMillis, long maxMillis) {
        if (baseMillis <= 0 || maxMillis < baseMillis) {
            throw new IllegalArgumentException("need 0 < base <= max, got " + baseMillis + ", " + maxMillis);
        }
        this.baseMillis = baseMillis;
        this.maxMillis = maxMillis;
    }

    /** Records a failure and returns how long to wait before the next attempt, in milliseconds. */
    public long nextDelayMillis() {
        failures = Math.min(failures + 1, 30);
        long ceiling = Math.min(maxMillis, baseMillis << Math.min(failures - 1, 20));
        return ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    }

    /** Forgets past failures after a success. */
    public void reset() {
        failures = 0;
    }

    /** Consecutive failures since the last reset. */
    public int failures() {
        return failures;
    }
}
