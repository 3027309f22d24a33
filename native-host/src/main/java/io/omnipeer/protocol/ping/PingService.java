package io.omnipeer.protocol.ping;

import io.omnipeer.core.Host;
import io.omnipeer.core.PeerId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * libp2p ping: answers {@code /ipfs/ping/1.0.0} and measures round-trip times. At most one outbound ping stream
 * per peer ("MUST NOT keep more than one outbound stream for the ping protocol per peer"), reused for every ping
 * while open. Spec: libp2p/specs ping/ping.md. Thread-safe.
 */
public final class PingService {
    public static final String PROTOCOL_ID = "/ipfs/ping/1.0.0";
    /** Payload of one ping, in bytes. */
    public static final int PAYLOAD_LENGTH = 32;
    /** A ping without its echo after this long fails (and its stream is reset). */
    public static final Duration PING_TIMEOUT = Duration.ofSeconds(10);

    private final Host host;
    private final Map<PeerId, CompletableFuture<PingStream>> streams = new ConcurrentHashMap<>();

    /** Registers the ping handler on {@code host}. */
    public PingService(Host host) {
        this.host = host;
        host.setStreamHandler(PROTOCOL_ID, stream -> stream.channel().pipeline().addLast(new PingResponder(stream)));
    }

    /**
     * Pings {@code peer} (connecting if needed) once.
     * @return the round-trip time from writing the 32 bytes to reading their echo; fails with {@link PingException}
     *         or the connection/negotiation error
     */
    public CompletableFuture<Duration> ping(PeerId peer) {
        return stream(peer).thenCompose(PingStream::ping);
    }

    private CompletableFuture<PingStream> stream(PeerId peer) {
        CompletableFuture<PingStream> fresh = new CompletableFuture<>();
        CompletableFuture<PingStream> current = streams.compute(peer, (p, existing) -> {
            if (existing != null && (!existing.isDone() || (!existing.isCompletedExceptionally() && existing.join().isOpen()))) {
                return existing;
            }
            return fresh;
        });
        if (current == fresh) {
            host.newStream(peer, PROTOCOL_ID).thenAccept(stream -> {
                PingStream ps = new PingStream(stream);
                stream.channel().pipeline().addLast(ps);
                fresh.complete(ps);
            }).exceptionally(e -> {
                fresh.completeExceptionally(e);
                streams.remove(peer, fresh);
                return null;
            });
        }
        return current;
    }
}
