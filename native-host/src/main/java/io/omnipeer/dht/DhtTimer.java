package io.omnipeer.dht;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time as the DHT sees it: the current instant and delayed tasks. Production uses {@link #system}; the simulation
 * passes a virtual clock so the same lookup and maintenance code runs in virtual time. Implementations are
 * thread-safe; tasks may run on any thread and must not block.
 */
public interface DhtTimer {
    /** The current time. */
    Instant now();

    /**
     * Runs {@code task} once after {@code delay} (zero or positive).
     * @return a handle; {@link Cancellable#cancel()} prevents a task that has not started yet
     */
    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that can be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** Wall-clock time and tasks on {@code executor} (the caller owns and shuts it down). */
    static DhtTimer system(ScheduledExecutorService executor) {
        return new DhtTimer() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                ScheduledFuture<?> f = executor.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }
        };
    }
}
