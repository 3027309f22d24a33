package io.omnipeer.core;

import io.omnipeer.core.crypto.PublicKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A secured, multiplexed connection to one peer (TCP + Noise + yamux). Thread-safe.
 * Spec: libp2p/specs connections/README.md, "Upgrading Connections".
 */
public interface Connection {
    /** The authenticated remote peer (proven by the security handshake). */
    PeerId remotePeer();

    PublicKey remotePublicKey();

    /** The remote transport address, e.g. {@code /ip4/127.0.0.1/tcp/4001} (without /p2p). */
    Multiaddr remoteAddress();

    Multiaddr localAddress();

    /** True if we dialled this connection. */
    boolean isInitiator();

    /**
     * Opens a stream and negotiates the first of {@code protocols} the peer supports.
     * The future completes on the stream's event loop; bytes the peer sends before the caller has installed
     * handlers are held back until a handler is added after the (internal) hold at the end of the pipeline.
     * Fails with a {@code NegotiationException} if the peer supports none, or when stream limits are reached.
     */
    CompletableFuture<Stream> newStream(List<String> protocols);

    /**
     * Opens a stream like {@link #newStream(List)}, but runs {@code initializer} on the stream's event loop right
     * after the agreement and before any byte of the protocol is delivered — the race-free way for protocols
     * where the peer speaks first. The future completes after {@code initializer} returned; if it throws, the
     * stream is reset and the future fails.
     */
    CompletableFuture<Stream> newStream(List<String> protocols, ProtocolHandler initializer);

    boolean isOpen();

    /** Closes every stream and the connection (yamux Go Away). */
    CompletableFuture<Void> close();
}
