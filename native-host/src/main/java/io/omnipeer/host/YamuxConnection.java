package io.omnipeer.host;

import io.netty.channel.Channel;
import io.omnipeer.core.Connection;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.ProtocolHandler;
import io.omnipeer.core.Stream;
import io.omnipeer.core.crypto.PublicKey;
import io.omnipeer.muxer.yamux.YamuxSession;
import io.omnipeer.negotiation.multistream.MultistreamHandler;
import io.omnipeer.rcmgr.ConnectionScope;
import io.omnipeer.rcmgr.Direction;
import io.omnipeer.rcmgr.ResourceLimitException;
import io.omnipeer.rcmgr.StreamScope;
import io.omnipeer.security.noise.SecureChannelEstablished;
import io.omnipeer.transport.tcp.TcpTransport;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Connection} over TCP + Noise + yamux. Outbound streams negotiate with multistream-select as initiator;
 * their handlers come from an initializer at agreement, or else an {@link InboundHold} keeps inbound bytes until
 * the caller installs them. Thread-safe.
 */
final class YamuxConnection implements Connection {
    private final Channel channel;
    private final SecureChannelEstablished secured;
    private final boolean initiator;
    private final Multiaddr remoteAddress;
    private final Multiaddr localAddress;
    private final ConnectionScope scope;
    private YamuxSession session;

    YamuxConnection(Channel channel, SecureChannelEstablished secured, boolean initiator, ConnectionScope scope) {
        this.scope = scope;
        this.channel = channel;
        this.secured = secured;
        this.initiator = initiator;
        this.remoteAddress = TcpTransport.address(channel.remoteAddress());
        this.localAddress = TcpTransport.address(channel.localAddress());
    }

    void attach(YamuxSession session) {
        this.session = session;
    }

    Channel channel() {
        return channel;
    }

    /** This connection's resource reservation (its peer set). */
    ConnectionScope scope() {
        return scope;
    }

    @Override
    public PeerId remotePeer() {
        return secured.remotePeer();
    }

    @Override
    public PublicKey remotePublicKey() {
        return secured.remoteKey();
    }

    @Override
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Multiaddr localAddress() {
        return localAddress;
    }

    @Override
    public boolean isInitiator() {
        return initiator;
    }

    @Override
    public CompletableFuture<Stream> newStream(List<String> protocols) {
        return open(protocols, null);
    }

    @Override
    public CompletableFuture<Stream> newStream(List<String> protocols, ProtocolHandler initializer) {
        return open(protocols, Objects.requireNonNull(initializer));
    }

    /**
     * With an initializer, it installs the handlers at agreement; without, an {@link InboundHold} waits for them.
     * Fails with {@link ResourceLimitException} when the stream would pass a resource limit (at open, or at
     * agreement for the protocol's and app's limits).
     */
    private CompletableFuture<Stream> open(List<String> protocols, ProtocolHandler initializer) {
        CompletableFuture<Stream> result = new CompletableFuture<>();
        if (protocols.isEmpty()) {
            result.completeExceptionally(new IllegalArgumentException("no protocol to propose"));
            return result;
        }
        StreamScope streamScope;
        try {
            streamScope = scope.openStream(Direction.OUTBOUND);
        } catch (ResourceLimitException | IllegalStateException e) {
            result.completeExceptionally(e);
            return result;
        }
        session.openStream(ch -> {
            ch.closeFuture().addListener(f -> streamScope.done());
            MultistreamHandler negotiation = MultistreamHandler.initiator(protocols);
            ch.pipeline().addLast("multistream", negotiation);
            negotiation.selected().whenComplete((protocol, error) -> {
                if (error != null) {
                    ch.reset();
                    result.completeExceptionally(error);
                    return;
                }
                try {
                    streamScope.setProtocol(protocol, ch);
                } catch (ResourceLimitException e) {
                    ch.reset();
                    result.completeExceptionally(e);
                    return;
                }
                MuxedStream stream = new MuxedStream(ch, protocol, this);
                if (initializer == null) {
                    ch.pipeline().addLast("hold", new InboundHold());
                    result.complete(stream);
                    return;
                }
                try {
                    initializer.handle(stream);
                    result.complete(stream);
                } catch (RuntimeException e) {
                    ch.reset();
                    result.completeExceptionally(e);
                }
            });
        }).whenComplete((ch, error) -> {
            if (error != null) {
                streamScope.done();
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    /** Number of open streams; for limits and tests. */
    CompletableFuture<Integer> streamCount() {
        CompletableFuture<Integer> n = new CompletableFuture<>();
        channel.eventLoop().execute(() -> n.complete(session.streamCount()));
        return n;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public CompletableFuture<Void> close() {
        return session.close();
    }

    @Override
    public String toString() {
        return "Connection[" + remotePeer() + " " + remoteAddress + (initiator ? " out" : " in") + "]";
    }
}
