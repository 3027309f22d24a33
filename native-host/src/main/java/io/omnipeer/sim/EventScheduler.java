package io.omnipeer.sim;

import io.omnipeer.pubsub.gossipsub.GossipTimer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.PriorityQueue;
import java.util.Random;

/**
 * The simulation's virtual clock: a discrete-event scheduler. Events are timestamped tasks in a priority queue,
 * run in time order (ties in the order they were scheduled), and the clock jumps to each event's time, so a
 * simulated minute costs only the work its events do. Everything in a simulation runs on the thread that calls
 * {@link #runUntil}, which makes a run with a fixed seed reproducible.
 *
 * <p>Not thread-safe: one thread schedules and runs. A task that throws is counted ({@link #failures()}), logged
 * (the first few), and does not stop the run.
 */
public final class EventScheduler {
    /** Failed tasks logged with their stack trace; later ones are only counted. */
    private static final int LOGGED_FAILURES = 5;
    private static final Logger log = LoggerFactory.getLogger(EventScheduler.class);

    /** A scheduled task; cancelling it before its time means it never runs. */
    public static final class Event implements Comparable<Event> {
        private final long time;
        private final long seq;
        private Runnable task;

        private Event(long time, long seq, Runnable task) {
            this.time = time;
            this.seq = seq;
            this.task = task;
        }

        /** Prevents the task from running (no effect once it ran). */
        public void cancel() {
            task = null;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private long executed;
    private long failures;

    /** Virtual time in milliseconds since the simulation started. */
    public long nowMillis() {
        return now;
    }

    /** Runs {@code task} {@code delayMillis} (0 or more) after now. */
    public Event schedule(long delayMillis, Runnable task) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("negative delay " + delayMillis);
        }
        Event e = new Event(now + delayMillis, seq++, task);
        queue.add(e);
        return e;
    }

    /** Runs every event due at or before {@code timeMillis} (including ones they schedule), then sets the clock to it. */
    public void runUntil(long timeMillis) {
        while (!queue.isEmpty() && queue.peek().time <= timeMillis) {
            Event e = queue.poll();
            now = e.time;
            Runnable task = e.task;
            if (task == null) {
                continue;
            }
            e.task = null;
            executed++;
            try {
                task.run();
            } catch (RuntimeException ex) {
                if (failures++ < LOGGED_FAILURES) {
                    log.warn("simulation event failed at t={} ms", now, ex);
                }
            }
        }
        now = Math.max(now, timeMillis);
    }

    /** Drops every pending event (end of a run, so what they reference can be collected). */
    public void clear() {
        queue.clear();
    }

    /** Tasks run so far. */
    public long executed() {
        return executed;
    }

    /** Tasks that threw. */
    public long failures() {
        return failures;
    }

    /** Events waiting (including cancelled ones not yet reached). */
    public int pending() {
        return queue.size();
    }

    /**
     * A {@link GossipTimer} on this clock for one node. Its periodic tasks start at a random phase within the first
     * period (drawn from {@code phase}), so the nodes' heartbeats do not all fire in the same millisecond.
     */
    public GossipTimer gossipTimer(Random phase) {
        return new GossipTimer() {
            @Override
            public long nowMillis() {
                return now;
            }

            @Override
            public Cancellable every(long periodMillis, Runnable task) {
                Periodic p = new Periodic(periodMillis, task);
                p.next = schedule(1 + (long) (phase.nextDouble() * periodMillis), p);
                return p::cancel;
            }
        };
    }

    private final class Periodic implements Runnable {
        private final long period;
        private final Runnable task;
        private Event next;
        private boolean cancelled;

        Periodic(long period, Runnable task) {
            this.period = period;
            this.task = task;
        }

        @Override
        public void run() {
            try {
                task.run();
            } finally {
                if (!cancelled) {
                    next = schedule(period, this);
                }
            }
        }

        void cancel() {
            cancelled = true;
            if (next != null) {
                next.cancel();
            }
        }
    }
}
