package io.omnipeer.protocol.ping;

import io.omnipeer.core.Host;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** "The listening peer SHOULD accept at most two streams per peer"; further ones are reset. */
    public static final int MAX_INBOUND_STREAMS_PER_PEER = 2;

    private static final Logger LOG = LoggerFactory.getLogger(PingService.class);

    private final Host host;
    private final Map<PeerId, CompletableFuture<PingStream>> streams = new ConcurrentHashMap<>();
    private final Map<PeerId, Integer> inbound = new ConcurrentHashMap<>();

    /** Registers the ping handler on {@code host}. */
    public PingService(Host host) {
        this.host = host;
        host.setStreamHandler(PROTOCOL_ID, this::answer);
    }

    private void answer(Stream stream) {
        PeerId peer = stream.remotePeer();
        if (inbound.merge(peer, 1, Integer::sum) > MAX_INBOUND_STREAMS_PER_PEER) {
            release(peer);
            LOG.debug("refusing a third concurrent ping stream from {}", peer);
            stream.reset();
            return;
        }
        stream.channel().closeFuture().addListener(f -> release(peer));
        stream.channel().pipeline().addLast(new PingResponder(stream));
    }

    private void release(PeerId peer) {
        inbound.computeIfPresent(peer, (p, n) -> n > 1 ? n - 1 : null);
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
            host.newStream(peer, stream -> {
                PingStream ps = new PingStream(stream);
                stream.channel().pipeline().addLast(ps);
                stream.channel().closeFuture().addListener(f -> streams.remove(peer, fresh));
                fresh.complete(ps);
            }, PROTOCOL_ID).exceptionally(e -> {
                fresh.completeExceptionally(e);
                streams.remove(peer, fresh);
                return null;
            });
        }
        return current;
    }
}
