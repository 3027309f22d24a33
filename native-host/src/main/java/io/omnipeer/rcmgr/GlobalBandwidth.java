package io.omnipeer.rcmgr;

import java.time.LocalDateTime;

/**
 * The user's global bandwidth limits (all streams, apps and system alike) and their optional alt-speed
 * {@link BandwidthSchedule}: the buckets run at the schedule's limits while it is active, else at the normal ones.
 * Thread-safe.
 */
final class GlobalBandwidth {
    /** How often traffic re-evaluates the schedule (no thread of its own: the throttles tick it). */
    static final long CHECK_NANOS = 1_000_000_000L;
    final TokenBucket in = new TokenBucket();
    final TokenBucket out = new TokenBucket();
    private long inKiBps;
    private long outKiBps;
    private BandwidthSchedule schedule;
    private boolean altActive;
    private volatile long lastCheck = System.nanoTime();

    static void check(long inKiBps, long outKiBps) {
        if (inKiBps < 0 || outKiBps < 0 || inKiBps > ResourceManager.MAX_KIBPS || outKiBps > ResourceManager.MAX_KIBPS) {
            throw new IllegalArgumentException("bandwidth must be 0 (unlimited) to " + ResourceManager.MAX_KIBPS + " KiB/s");
        }
    }

    synchronized void setNormal(long inKiBps, long outKiBps) {
        check(inKiBps, outKiBps);
        this.inKiBps = inKiBps;
        this.outKiBps = outKiBps;
        applyRates();
    }

    synchronized long normalIn() {
        return inKiBps;
    }

    synchronized long normalOut() {
        return outKiBps;
    }

    synchronized void setSchedule(BandwidthSchedule schedule, LocalDateTime now) {
        this.schedule = schedule;
        altActive = schedule != null && schedule.activeAt(now);
        applyRates();
    }

    synchronized BandwidthSchedule schedule() {
        return schedule;
    }

    /** Re-evaluates the schedule at {@code now}; true when that switched between normal and alternative limits. */
    synchronized boolean apply(LocalDateTime now) {
        boolean active = schedule != null && schedule.activeAt(now);
        if (active == altActive) {
            return false;
        }
        altActive = active;
        applyRates();
        return true;
    }

    /** Re-evaluates the schedule now if the last check is older than {@link #CHECK_NANOS}; cheap otherwise. */
    void tick() {
        long now = System.nanoTime();
        if (now - lastCheck < CHECK_NANOS) {
            return;
        }
        lastCheck = now;
        if (schedule() != null) {
            apply(LocalDateTime.now());
        }
    }

    synchronized boolean altActive() {
        return altActive;
    }

    /** The limits in force now: {@code [inKiBps, outKiBps]}. */
    synchronized long[] effective() {
        return altActive ? new long[] {schedule.inKiBps(), schedule.outKiBps()} : new long[] {inKiBps, outKiBps};
    }

    private void applyRates() {
        long[] e = effective();
        in.setRate(e[0] * 1024);
        out.setRate(e[1] * 1024);
    }
}
