package io.omnipeer.host;

import java.time.Duration;
import java.util.Objects;

/**
 * Resource caps of a {@link DefaultHost}.
 *
 * @param maxConnections          TCP connections at once, inbound and outbound, including those still upgrading;
 *                                beyond it inbound connections are closed at accept and dials fail
 * @param maxStreamsPerConnection concurrent yamux streams per connection, both directions; inbound streams beyond
 *                                it are refused with RST, outbound ones fail
 * @param maxPendingDials         outbound dials in flight at once (TCP connect + Noise + yamux); more fail at once
 *                                with {@link DialRefusedException}
 * @param dialBackoffBase         how long an address that failed to dial is skipped after its first failure; doubled
 *                                per further failure
 * @param dialBackoffMax          cap of that backoff
 */
public record HostLimits(int maxConnections, int maxStreamsPerConnection, int maxPendingDials,
                         Duration dialBackoffBase, Duration dialBackoffMax) {
    /** Dials in flight at once by default (go-libp2p's swarm allows 160 file descriptors for dials). */
    public static final int DEFAULT_MAX_PENDING_DIALS = 64;
    /** First backoff of a failed address (go-libp2p BackoffBase is 5 s; shorter: loopback and LAN peers restart fast). */
    public static final Duration DEFAULT_DIAL_BACKOFF_BASE = Duration.ofSeconds(1);
    /** Backoff cap (go-libp2p BackoffMax: 5 minutes). */
    public static final Duration DEFAULT_DIAL_BACKOFF_MAX = Duration.ofMinutes(5);

    /** {@link DefaultHost#MAX_CONNECTIONS} and {@link DefaultHost#MAX_STREAMS_PER_CONNECTION}, default dial limits. */
    public static final HostLimits DEFAULT = new HostLimits(DefaultHost.MAX_CONNECTIONS, DefaultHost.MAX_STREAMS_PER_CONNECTION);

    public HostLimits {
        Objects.requireNonNull(dialBackoffBase, "dialBackoffBase");
        Objects.requireNonNull(dialBackoffMax, "dialBackoffMax");
        if (maxConnections < 1 || maxStreamsPerConnection < 1 || maxPendingDials < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxConnections + ", "
                    + maxStreamsPerConnection + ", " + maxPendingDials);
        }
        if (dialBackoffBase.isNegative() || dialBackoffMax.compareTo(dialBackoffBase) < 0) {
            throw new IllegalArgumentException("need 0 <= backoff base <= max: " + dialBackoffBase + ", " + dialBackoffMax);
        }
    }

    /** Connection and stream caps with the default dial limits. */
    public HostLimits(int maxConnections, int maxStreamsPerConnection) {
        this(maxConnections, maxStreamsPerConnection, DEFAULT_MAX_PENDING_DIALS, DEFAULT_DIAL_BACKOFF_BASE,
                DEFAULT_DIAL_BACKOFF_MAX);
    }

    /** These limits with other dial limits. */
    public HostLimits withDialLimits(int pendingDials, Duration backoffBase, Duration backoffMax) {
        return new HostLimits(maxConnections, maxStreamsPerConnection, pendingDials, backoffBase, backoffMax);
    }
}
