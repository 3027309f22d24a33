package io.omnipeer.rcmgr;

import java.util.function.LongSupplier;

/**
 * Bytes per second over a sliding window of {@link #SLOTS} slots of {@link #SLOT_MILLIS} ms (2 s), plus the total
 * since creation. Thread-safe.
 */
final class RateMeter {
    static final int SLOTS = 8;
    static final long SLOT_MILLIS = 250;
    private static final long SLOT_NANOS = SLOT_MILLIS * 1_000_000;

    private final LongSupplier nanoClock;
    private final long start;
    private final long[] slots = new long[SLOTS];
    private long currentSlot;
    private long total;

    RateMeter(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
    }

    synchronized void add(long bytes) {
        advance(nanoClock.getAsLong());
        slots[(int) (currentSlot % SLOTS)] += bytes;
        total += bytes;
    }

    synchronized long total() {
        return total;
    }

    /** Bytes per second over the last {@code SLOTS × SLOT_MILLIS} ms (or since creation, if younger). */
    synchronized double perSecond() {
        long now = nanoClock.getAsLong();
        advance(now);
        long sum = 0;
        for (long s : slots) {
            sum += s;
        }
        long covered = Math.min(now - start, (SLOTS - 1) * SLOT_NANOS + (now - start) % SLOT_NANOS);
        return covered <= 0 ? 0 : sum * 1e9 / covered;
    }

    private void advance(long now) {
        long slot = (now - start) / SLOT_NANOS;
        if (slot - currentSlot >= SLOTS) {
            java.util.Arrays.fill(slots, 0);
        } else {
            for (long s = currentSlot + 1; s <= slot; s++) {
                slots[(int) (s % SLOTS)] = 0;
            }
        }
        currentSlot = Math.max(currentSlot, slot);
    }
}
