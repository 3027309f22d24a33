package io.omnipeer.connmgr;

import java.time.Duration;
import java.util.Objects;

/**
 * Watermarks of a {@link ConnectionManager} (go-libp2p's BasicConnMgr low/high water and grace period).
 *
 * @param lowWater    connections a trim leaves open (at least 0)
 * @param highWater   above this many open connections a trim starts (at least {@code lowWater})
 * @param gracePeriod connections younger than this are never trimmed
 */
public record ConnectionLimits(int lowWater, int highWater, Duration gracePeriod) {
    /** A desktop node: 32 / 96 connections, 20 s grace (go-libp2p's default grace period). */
    public static final ConnectionLimits DEFAULT = new ConnectionLimits(32, 96, Duration.ofSeconds(20));

    public ConnectionLimits {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        if (lowWater < 0 || highWater < lowWater || highWater < 1 || gracePeriod.isNegative()) {
            throw new IllegalArgumentException("need 0 <= low <= high, high >= 1, grace >= 0: " + lowWater + "/"
                    + highWater + " " + gracePeriod);
        }
    }
}
