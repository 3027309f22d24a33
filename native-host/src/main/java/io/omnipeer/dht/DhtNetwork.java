package io.omnipeer.dht;

import io.omnipeer.dht.pb.DhtProtos.Message;
import java.util.concurrent.CompletableFuture;

/**
 * How the DHT logic ({@link Kademlia}, {@link IterativeLookup}) reaches other peers: the seam between the Kademlia
 * algorithms and a transport. {@link KadDht} implements it over libp2p streams ({@code /ipfs/kad/1.0.0}, one stream per
 * request); the simulation implements it in memory with a virtual clock.
 *
 * <p>Implementations must be thread-safe, must not block, and must complete every future (success or failure); the
 * callers also apply their own timeout through {@link DhtTimer}, so a future that never completes only costs memory
 * until the transport gives up. Spec: libp2p/specs kad-dht/README.md, "RPC messages".
 */
public interface DhtNetwork {
    /**
     * Sends {@code request} to {@code to.id()} (dialling {@code to.addrs()} if no connection is open) and completes with
     * the single response message. Fails on dial errors, stream resets, malformed responses (already bounded by
     * {@link DhtCodec}) or transport timeouts.
     */
    CompletableFuture<Message> request(DhtPeer to, Message request);

    /**
     * Sends {@code message} without waiting for a response ({@code ADD_PROVIDER}: the spec defines none and
     * js-libp2p/go-libp2p close the stream after writing). Completes once it was written.
     */
    CompletableFuture<Void> send(DhtPeer to, Message message);
}
