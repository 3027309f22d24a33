package io.omnipeer.dht;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/** A {@link DhtTimer} in virtual time: tasks run only from {@link #runUntil}/{@link #advance}, in time order. */
final class VirtualTimer implements DhtTimer {
    private record Task(Instant at, long seq, Runnable run, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.at.equals(b.at) ? Long.compare(a.seq, b.seq) : a.at.compareTo(b.at));
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long seq;

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Task(now.plus(delay), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs due tasks until {@code done} holds or nothing is left; at most {@code maxTasks}. */
    void runUntil(java.util.function.BooleanSupplier done, int maxTasks) {
        for (int i = 0; i < maxTasks && !done.getAsBoolean(); i++) {
            Task t;
            synchronized (this) {
                t = queue.poll();
                if (t == null) {
                    return;
                }
                now = t.at;
            }
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
    }

    /** Moves time forward by {@code d}, running every task due by then. */
    void advance(Duration d) {
        Instant until;
        synchronized (this) {
            until = now.plus(d);
        }
        while (true) {
            Task t;
            synchronized (this) {
                Task head = queue.peek();
                if (head == null || head.at.isAfter(until)) {
                    now = until;
                    return;
                }
                t = queue.poll();
                now = t.at;
            }
            if (!t.cancelled[0]) {
                t.run.run();
            }
        }
    }
}
