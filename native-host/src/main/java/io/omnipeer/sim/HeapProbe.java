package io.omnipeer.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap in use after a full collection, to report bytes per simulated node: a run takes the figure once its network
 * is built ({@link #usedAfterGc}) and again after dropping the whole network at the end; the difference divided by
 * the node count is what the network held.
 */
final class HeapProbe {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapProbe() {
    }

    /** Full collections tried before the figure is taken as it is. */
    private static final int MAX_COLLECTIONS = 6;

    /**
     * Bytes of heap in use after full collections, repeated until two in a row agree within 1 % (finalisation and
     * reference processing can free more on a second pass). Approximate: noise of about a MiB remains.
     */
    static long usedAfterGc() {
        long previous = Long.MAX_VALUE;
        long used = 0;
        for (int i = 0; i < MAX_COLLECTIONS; i++) {
            System.gc();
            used = MEMORY.getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) <= used / 100) {
                break;
            }
            previous = used;
        }
        return used;
    }
}
