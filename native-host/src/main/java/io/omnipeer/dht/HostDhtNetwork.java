package io.omnipeer.dht;

import io.netty.channel.ChannelFutureListener;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.omnipeer.core.Host;
import io.omnipeer.core.codec.UvarintFrameDecoder;
import io.omnipeer.core.codec.UvarintFrames;
import io.omnipeer.dht.pb.DhtProtos.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link DhtNetwork} over a libp2p {@link Host}: one {@code /ipfs/kad/1.0.0} stream per request (open, write the
 * uvarint-prefixed message, read one answer, close), as kad-dht/README.md "RPC messages" describes. The host dials
 * the peer's known addresses when no connection is open. Bounded: at most {@link #MAX_PENDING_REQUESTS} requests in
 * flight (more fail at once) and each stream closes after {@code readTimeout} without an answer. Thread-safe.
 */
final class HostDhtNetwork implements DhtNetwork {
    /** Outbound requests in flight across all lookups (3 alpha x a few concurrent lookups, with room). */
    static final int MAX_PENDING_REQUESTS = 256;

    private final Host host;
    private final Duration readTimeout;
    private final AtomicInteger pending = new AtomicInteger();

    HostDhtNetwork(Host host, Duration readTimeout) {
        this.host = host;
        this.readTimeout = readTimeout;
    }

    @Override
    public CompletableFuture<Message> request(DhtPeer to, Message request) {
        byte[] payload = DhtCodec.encode(request);
        if (pending.incrementAndGet() > MAX_PENDING_REQUESTS) {
            pending.decrementAndGet();
            return CompletableFuture.failedFuture(new RejectedExecutionException(
                    "more than " + MAX_PENDING_REQUESTS + " dht requests in flight"));
        }
        DhtClientHandler reader = new DhtClientHandler();
        CompletableFuture<Message> answer = host.newStream(to.id(), stream -> {
            reader.attach(stream);
            stream.channel().pipeline().addLast(
                    new ReadTimeoutHandler(readTimeout.toMillis(), TimeUnit.MILLISECONDS),
                    new UvarintFrameDecoder(DhtCodec.MAX_MESSAGE_BYTES), reader);
        }, KadDht.PROTOCOL).thenCompose(stream -> {
            stream.channel().writeAndFlush(UvarintFrames.frame(stream.channel().alloc(), payload));
            return reader.answer();
        });
        return answer.whenComplete((m, e) -> pending.decrementAndGet());
    }

    @Override
    public CompletableFuture<Void> send(DhtPeer to, Message message) {
        byte[] payload = DhtCodec.encode(message);
        return host.newStream(to.id(), KadDht.PROTOCOL).thenCompose(stream -> {
            CompletableFuture<Void> written = new CompletableFuture<>();
            stream.channel().writeAndFlush(UvarintFrames.frame(stream.channel().alloc(), payload))
                    .addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            written.complete(null);
                            stream.close();
                        } else {
                            written.completeExceptionally(f.cause());
                            stream.reset();
                        }
                    });
            return written;
        });
    }
}
