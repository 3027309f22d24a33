package io.omnipeer.pubsub.gossipsub;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Time as {@link GossipRouter} sees it: the clock read for the seen cache, backoffs and fanout expiry, and the
 * heartbeat. Production uses {@link #system}; the simulator passes its virtual clock so the heartbeat (mesh repair,
 * IHAVE gossip, cache shift) runs in virtual time. Implementations are thread-safe.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.0.md, "Heartbeat".
 */
public interface GossipTimer {
    /** Current time in milliseconds since the epoch (or since the simulation started). */
    long nowMillis();

    /**
     * Runs {@code task} every {@code periodMillis} ms, the first time after one period, each run after the previous
     * one finished, until cancelled. Tasks must not block.
     */
    Cancellable every(long periodMillis, Runnable task);

    /** A periodic task that can be stopped. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** Wall-clock time; the task runs on its own daemon thread named {@code threadName}, stopped on cancel. */
    static GossipTimer system(String threadName) {
        return new GossipTimer() {
            @Override
            public long nowMillis() {
                return System.currentTimeMillis();
            }

            @Override
            public Cancellable every(long periodMillis, Runnable task) {
                ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, threadName);
                    t.setDaemon(true);
                    return t;
                });
                executor.scheduleWithFixedDelay(task, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
                return executor::shutdownNow;
            }
        };
    }
}
