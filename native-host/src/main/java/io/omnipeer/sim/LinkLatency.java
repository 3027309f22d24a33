package io.omnipeer.sim;

/**
 * One-way latency of every link between two simulated nodes: fixed per pair (so a link delivers in order),
 * symmetric, drawn uniformly from {@code [minMillis, maxMillis]} by hashing the pair with the run's seed. Needs no
 * memory per link. Thread-safe (immutable).
 */
public final class LinkLatency {
    private final long seed;
    private final int minMillis;
    private final int spread;

    /** @param minMillis shortest one-way latency, ms; @param maxMillis longest, ms (at least minMillis) */
    public LinkLatency(long seed, int minMillis, int maxMillis) {
        if (minMillis < 0 || maxMillis < minMillis) {
            throw new IllegalArgumentException("need 0 <= min <= max latency: " + minMillis + ", " + maxMillis);
        }
        this.seed = seed;
        this.minMillis = minMillis;
        this.spread = maxMillis - minMillis + 1;
    }

    /** One-way latency between nodes {@code a} and {@code b} (node indices), ms. */
    public int millis(int a, int b) {
        long lo = Math.min(a, b);
        long hi = Math.max(a, b);
        long h = mix(seed ^ mix(lo * 0x9E3779B97F4A7C15L + hi));
        return minMillis + (int) Math.floorMod(h, (long) spread);
    }

    /** SplitMix64 finaliser: a well-spread 64-bit hash. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
