package io.omnipeer.sim;

import io.omnipeer.dht.DhtTimer;

import java.time.Duration;
import java.time.Instant;

/** The DHT's {@link DhtTimer} on the simulation's virtual clock (epoch = start of the run). Simulation thread only. */
final class SimDhtTimer implements DhtTimer {
    private final EventScheduler clock;

    SimDhtTimer(EventScheduler clock) {
        this.clock = clock;
    }

    @Override
    public Instant now() {
        return Instant.ofEpochMilli(clock.nowMillis());
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        return clock.schedule(Math.max(0, delay.toMillis()), task)::cancel;
    }
}
