package io.omnipeer.rcmgr;

/**
 * Limits of one scope. Counts are concurrent (open now), bytes are held now. {@link #UNLIMITED} fields are
 * {@code Integer.MAX_VALUE}/{@code Long.MAX_VALUE}. Immutable.
 *
 * @param connsInbound    connections the remote peer opened
 * @param connsOutbound   connections we opened
 * @param conns           connections in both directions
 * @param streamsInbound  streams the remote peer opened
 * @param streamsOutbound streams we opened
 * @param streams         streams in both directions
 * @param memory          buffered bytes (each stream holds its yamux receive window, see {@link StreamScope})
 * @param storage         stored bytes (app storage; apps reserve them through {@link ResourceManager#reserveStorage})
 */
public record ScopeLimits(int connsInbound, int connsOutbound, int conns, int streamsInbound, int streamsOutbound,
                          int streams, long memory, long storage) {
    private static final int N = Integer.MAX_VALUE;
    private static final long B = Long.MAX_VALUE;
    /** No limit at all. */
    public static final ScopeLimits UNLIMITED = new ScopeLimits(N, N, N, N, N, N, B, B);

    public ScopeLimits {
        if (connsInbound < 0 || connsOutbound < 0 || conns < 0 || streamsInbound < 0 || streamsOutbound < 0
                || streams < 0 || memory < 0 || storage < 0) {
            throw new IllegalArgumentException("limits must not be negative");
        }
    }

    public ScopeLimits withConns(int inbound, int outbound, int total) {
        return new ScopeLimits(inbound, outbound, total, streamsInbound, streamsOutbound, streams, memory, storage);
    }

    public ScopeLimits withStreams(int inbound, int outbound, int total) {
        return new ScopeLimits(connsInbound, connsOutbound, conns, inbound, outbound, total, memory, storage);
    }

    public ScopeLimits withMemory(long bytes) {
        return new ScopeLimits(connsInbound, connsOutbound, conns, streamsInbound, streamsOutbound, streams, bytes, storage);
    }

    public ScopeLimits withStorage(long bytes) {
        return new ScopeLimits(connsInbound, connsOutbound, conns, streamsInbound, streamsOutbound, streams, memory, bytes);
    }
}
