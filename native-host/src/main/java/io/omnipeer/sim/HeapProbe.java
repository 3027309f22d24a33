package io.omnipeer.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Heap in use after a full collection, to report bytes per simulated node. */
final class HeapProbe {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapProbe() {
    }

    /** Bytes of heap in use after asking for two full collections (the figure is approximate). */
    static long usedAfterGc() {
        for (int i = 0; i < 2; i++) {
            System.gc();
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
