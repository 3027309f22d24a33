package io.omnipeer.core;

import io.omnipeer.core.crypto.PrivateKey;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A libp2p host: our identity, listeners, connections and the protocols we serve. Thread-safe.
 * Spec: libp2p/specs connections/README.md.
 */
public interface Host {
    PeerId peerId();

    PrivateKey privateKey();

    /** Addresses we are bound to, with the actual port (never port 0). */
    List<Multiaddr> listenAddresses();

    /** Starts listening on an {@code /ip4|ip6/.../tcp/port} address (port 0 picks a free port). */
    CompletableFuture<Void> listen(Multiaddr address);

    /**
     * Dials {@code address} (with or without /p2p/); with /p2p/ the remote must prove that peer ID or the
     * connection is closed and the future fails.
     */
    CompletableFuture<Connection> dial(Multiaddr address);

    /** Reuses an open connection to {@code peer} or dials its known addresses in turn. */
    CompletableFuture<Connection> connect(PeerId peer);

    /** {@link #connect} then {@link Connection#newStream}. */
    CompletableFuture<Stream> newStream(PeerId peer, String... protocols);

    /** {@link #connect} then {@link Connection#newStream(List, ProtocolHandler)}. */
    CompletableFuture<Stream> newStream(PeerId peer, ProtocolHandler initializer, String... protocols);

    /** Serves {@code protocol} on inbound streams (replaces a previous handler). */
    void setStreamHandler(String protocol, ProtocolHandler handler);

    void removeStreamHandler(String protocol);

    Set<String> supportedProtocols();

    List<Connection> connections();

    Optional<Connection> connection(PeerId peer);

    void addConnectionListener(ConnectionListener listener);

    Peerstore peerstore();

    /** Closes every connection and listener. */
    CompletableFuture<Void> close();
}
