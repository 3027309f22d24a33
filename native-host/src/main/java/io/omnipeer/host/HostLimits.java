package io.omnipeer.host;

/**
 * Resource caps of a {@link DefaultHost}.
 *
 * @param maxConnections          TCP connections at once, inbound and outbound, including those still upgrading;
 *                                beyond it inbound connections are closed at accept and dials fail
 * @param maxStreamsPerConnection concurrent yamux streams per connection, both directions; inbound streams beyond
 *                                it are refused with RST, outbound ones fail
 */
public record HostLimits(int maxConnections, int maxStreamsPerConnection) {
    /** {@link DefaultHost#MAX_CONNECTIONS} and {@link DefaultHost#MAX_STREAMS_PER_CONNECTION}. */
    public static final HostLimits DEFAULT = new HostLimits(DefaultHost.MAX_CONNECTIONS, DefaultHost.MAX_STREAMS_PER_CONNECTION);

    public HostLimits {
        if (maxConnections < 1 || maxStreamsPerConnection < 1) {
            throw new IllegalArgumentException("limits must be positive: " + maxConnections + ", " + maxStreamsPerConnection);
        }
    }
}
