package io.omnipeer.protocol.perf;

import io.omnipeer.core.Connection;
import io.omnipeer.core.Host;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.ProtocolHandler;
import io.omnipeer.core.Stream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p perf {@code /perf/1.0.0}: serves the protocol on a host and runs it as a client.
 * Spec: libp2p/specs perf/perf.md. The spec says perf "SHOULD NOT be enabled by default"; a node registers it only
 * when asked to (benchmarks, interop tests).
 *
 * <p>Server: at most {@link #MAX_INBOUND_STREAMS} perf streams at once (more are reset at once); each sends back
 * the count its client asked for, in blocks of {@link #WRITE_BLOCK_SIZE} bytes, following the stream's
 * backpressure. Client: {@link #run} opens one stream per call; run several at once for parallel streams over
 * one connection. Both ends give up on a stream where nothing moved for {@link #STALL_TIMEOUT}.
 * Thread-safe.
 */
public final class PerfService implements AutoCloseable {
    public static final String PROTOCOL_ID = "/perf/1.0.0";
    /** The big-endian uint64 the client sends first: how many bytes it wants back (perf.md, client step 2). */
    static final int HEADER_LENGTH = 8;
    /** Bytes per write; js-libp2p's and go-libp2p's perf use 64 KiB blocks too. */
    public static final int WRITE_BLOCK_SIZE = 64 * 1024;
    /** Concurrent perf streams we serve; a benchmark uses 16. Bounds the work one peer can ask of us. */
    public static final int MAX_INBOUND_STREAMS = 64;
    /** A perf stream on which no byte moved either way for this long is reset (both ends). */
    public static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(PerfService.class);

    private final Host host;
    private final AtomicInteger inbound = new AtomicInteger();

    /** Registers the {@value #PROTOCOL_ID} server handler on {@code host}. */
    public PerfService(Host host) {
        this.host = host;
        host.setStreamHandler(PROTOCOL_ID, this::serve);
    }

    private void serve(Stream stream) {
        if (inbound.incrementAndGet() > MAX_INBOUND_STREAMS) {
            inbound.decrementAndGet();
            LOG.info("perf from {}: {} streams already served; resetting", stream.remotePeer(), MAX_INBOUND_STREAMS);
            stream.reset();
            return;
        }
        stream.channel().pipeline().addLast(new PerfServerStream(stream, inbound::decrementAndGet));
    }

    /**
     * Runs perf once on a new stream to {@code peer}, reusing an open connection or dialling its known addresses.
     *
     * @param uploadBytes   bytes to send after the header, &ge; 0
     * @param downloadBytes bytes to ask the server for, &ge; 0
     * @return the measurement; fails with {@link PerfException} (short or excess download, early close, stall) or
     *         the connection/negotiation error
     */
    public CompletableFuture<PerfResult> run(PeerId peer, long uploadBytes, long downloadBytes) {
        checkCounts(uploadBytes, downloadBytes);
        return run(init -> host.newStream(peer, init, PROTOCOL_ID), uploadBytes, downloadBytes);
    }

    /** As {@link #run(PeerId, long, long)} on a new stream of {@code connection}. */
    public CompletableFuture<PerfResult> run(Connection connection, long uploadBytes, long downloadBytes) {
        checkCounts(uploadBytes, downloadBytes);
        return run(init -> connection.newStream(List.of(PROTOCOL_ID), init), uploadBytes, downloadBytes);
    }

    private static CompletableFuture<PerfResult> run(Function<ProtocolHandler, CompletableFuture<Stream>> open,
                                                     long uploadBytes, long downloadBytes) {
        long start = System.nanoTime();
        CompletableFuture<PerfResult> result = new CompletableFuture<>();
        open.apply(stream -> stream.channel().pipeline().addLast(new PerfClientStream(stream, uploadBytes,
                downloadBytes, Duration.ofNanos(System.nanoTime() - start), result)))
                .whenComplete((stream, error) -> {
                    if (error != null) {
                        result.completeExceptionally(error);
                    }
                });
        return result;
    }

    private static void checkCounts(long uploadBytes, long downloadBytes) {
        if (uploadBytes < 0 || downloadBytes < 0) {
            throw new IllegalArgumentException("byte counts must be >= 0, got " + uploadBytes + "/" + downloadBytes);
        }
    }

    /** Perf streams being served right now. */
    public int activeInboundStreams() {
        return inbound.get();
    }

    /** Stops serving {@value #PROTOCOL_ID} (running streams finish). */
    @Override
    public void close() {
        host.removeStreamHandler(PROTOCOL_ID);
    }
}
