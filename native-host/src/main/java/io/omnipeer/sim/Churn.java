package io.omnipeer.sim;

import java.util.function.Consumer;

/**
 * Nodes leaving and joining during a run: a Poisson process replacing, on average, {@code perMinute} of the live
 * nodes per simulated minute (0.01 = 1 % per minute). Each event takes one random live node down (without
 * warning: its peers notice only when its connections close or requests to it time out) and brings up a fresh node,
 * so the network keeps its size. Simulation thread only.
 */
final class Churn {
    private final Overlay overlay;
    private final double perMinute;
    private final Consumer<SimNode> onLeave;
    private final Runnable join;
    private int left;
    private int joined;

    /**
     * @param onLeave what the protocols do when their node goes down (close the router, …), before the overlay drops it
     * @param join    creates and wires up one new node
     */
    Churn(Overlay overlay, double perMinute, Consumer<SimNode> onLeave, Runnable join) {
        this.overlay = overlay;
        this.perMinute = perMinute;
        this.onLeave = onLeave;
        this.join = join;
    }

    /** Schedules churn events from now until {@code untilMillis} (virtual time). No-op for a zero rate. */
    void runUntil(long untilMillis) {
        if (perMinute <= 0) {
            return;
        }
        scheduleNext(untilMillis);
    }

    private void scheduleNext(long untilMillis) {
        double ratePerMilli = perMinute * overlay.aliveCount() / 60_000.0;
        long gap = Math.max(1, Math.round(-Math.log(1 - overlay.random().nextDouble()) / ratePerMilli));
        if (overlay.clock().nowMillis() + gap > untilMillis) {
            return;
        }
        overlay.clock().schedule(gap, () -> {
            if (overlay.aliveCount() > 1) {
                SimNode victim = overlay.randomAlive();
                onLeave.accept(victim);
                overlay.leave(victim);
                left++;
            }
            join.run();
            joined++;
            scheduleNext(untilMillis);
        });
    }

    int left() {
        return left;
    }

    int joined() {
        return joined;
    }
}
