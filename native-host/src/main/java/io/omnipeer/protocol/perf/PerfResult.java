package io.omnipeer.protocol.perf;

import java.time.Duration;

/**
 * What one perf run measured on the client.
 *
 * @param uploadBytes   bytes we sent after the 8-byte header
 * @param downloadBytes bytes the server sent back (always the number asked for when the run succeeded)
 * @param streamOpen    from {@code run} being called until the stream was negotiated (connection reused or dialled,
 *                      plus multistream-select)
 * @param upload        from the first byte written until our FIN was handed to the connection
 * @param total         from the first byte written until the server's FIN arrived after the last downloaded byte;
 *                      "stream open to stream close" of libp2p/specs perf/perf.md, "Single connection throughput",
 *                      minus {@code streamOpen}
 */
public record PerfResult(long uploadBytes, long downloadBytes, Duration streamOpen, Duration upload, Duration total) {

    /** Payload bytes moved in both directions, divided by {@link #total()}, in gigabits (10^9 bits) per second. */
    public double gbps() {
        return (uploadBytes + downloadBytes) * 8.0 / Math.max(1, total.toNanos());
    }
}
