package io.omnipeer.sim;

/**
 * Counts of non-negative integer samples (ms, hops) in unit buckets up to a cap; larger samples land in the last
 * bucket. Percentiles are exact below the cap. Simulation thread only.
 */
public final class LatencyHistogram {
    private final long[] counts;
    private long total;

    /** @param max largest value counted exactly */
    public LatencyHistogram(int max) {
        counts = new long[max + 1];
    }

    public void add(long value) {
        counts[(int) Math.max(0, Math.min(value, counts.length - 1))]++;
        total++;
    }

    public long count() {
        return total;
    }

    /** The smallest value v with at least {@code p} (0..1) of the samples at or below v; -1 when empty. */
    public long percentile(double p) {
        if (total == 0) {
            return -1;
        }
        long need = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int v = 0; v < counts.length; v++) {
            seen += counts[v];
            if (seen >= need) {
                return v;
            }
        }
        return counts.length - 1;
    }

    /** Arithmetic mean of the samples (capped ones count at the cap); 0 when empty. */
    public double mean() {
        if (total == 0) {
            return 0;
        }
        double sum = 0;
        for (int v = 0; v < counts.length; v++) {
            sum += (double) v * counts[v];
        }
        return sum / total;
    }

    /** Samples equal to {@code value}. */
    public long countOf(int value) {
        return value < counts.length ? counts[value] : 0;
    }

    /** Largest value bucket (the cap). */
    public int max() {
        return counts.length - 1;
    }
}
