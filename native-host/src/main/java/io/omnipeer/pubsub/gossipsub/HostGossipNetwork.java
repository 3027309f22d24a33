package io.omnipeer.pubsub.gossipsub;

import io.omnipeer.core.Connection;
import io.omnipeer.core.ConnectionListener;
import io.omnipeer.core.Host;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.pubsub.RpcInboundHandler;
import io.omnipeer.pubsub.RpcSink;
import io.omnipeer.pubsub.StreamRpcSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link GossipNetwork} over a libp2p {@link Host}: answers {@code /meshsub/1.1.0}, {@code /meshsub/1.0.0} and
 * {@code /floodsub/1.0.0}, reads uvarint-framed RPCs of at most {@link GossipRouter#MAX_RPC_BYTES} from each inbound
 * stream (a malformed one resets that stream only), and opens outbound streams with multistream-select.
 * Spec: libp2p/specs pubsub/README.md, "Stream management", "The RPC". Thread-safe.
 */
public final class HostGossipNetwork implements GossipNetwork {
    static final List<String> PROTOCOLS = List.of(GossipRouter.MESHSUB_V11, GossipRouter.MESHSUB_V10,
            GossipRouter.FLOODSUB);
    private static final Logger log = LoggerFactory.getLogger(HostGossipNetwork.class);

    private final Host host;
    private volatile Events events;
    private final ConnectionListener connectionListener = new ConnectionListener() {
        @Override
        public void onConnected(Connection connection) {
            Events e = events;
            if (e != null) {
                e.peerConnected(connection.remotePeer());
            }
        }

        @Override
        public void onDisconnected(Connection connection) {
            PeerId peer = connection.remotePeer();
            Events e = events;
            if (e != null && host.connection(peer).isEmpty()) {
                e.peerDisconnected(peer);
            }
        }
    };

    public HostGossipNetwork(Host host) {
        this.host = host;
    }

    /** The host this network runs on. */
    public Host host() {
        return host;
    }

    @Override
    public PeerId localPeer() {
        return host.peerId();
    }

    @Override
    public PrivateKey localKey() {
        return host.privateKey();
    }

    @Override
    public void start(Events sink) {
        this.events = sink;
        for (String protocol : PROTOCOLS) {
            host.setStreamHandler(protocol, this::onInboundStream);
        }
        host.addConnectionListener(connectionListener);
        host.connections().forEach(c -> sink.peerConnected(c.remotePeer()));
    }

    @Override
    public void stop() {
        events = null;
        for (String protocol : PROTOCOLS) {
            host.removeStreamHandler(protocol);
        }
    }

    @Override
    public CompletableFuture<RpcSink> openStream(PeerId peer, List<String> protocols) {
        return host.newStream(peer, protocols.toArray(String[]::new)).thenApply(StreamRpcSink::new);
    }

    @Override
    public boolean isOutbound(PeerId peer) {
        return host.connection(peer).map(Connection::isInitiator).orElse(false);
    }

    @Override
    public Optional<String> remoteIp(PeerId peer) {
        return host.connection(peer).map(Connection::remoteAddress).filter(a -> !a.isLoopback())
                .flatMap(Multiaddr::host);
    }

    @Override
    public boolean isConnected(PeerId peer) {
        return host.connection(peer).isPresent();
    }

    @Override
    public boolean connect(PeerId peer) {
        if (host.peerstore().addresses(peer).isEmpty()) {
            return false;
        }
        host.connect(peer).whenComplete((c, e) -> {
            if (e != null) {
                log.debug("peer exchange dial to {} failed: {}", peer, e.toString());
            }
        });
        return true;
    }

    private void onInboundStream(Stream stream) {
        Events e = events;
        if (e == null) {
            stream.reset();
            return;
        }
        e.inboundStream(stream.remotePeer(), stream.protocol());
        RpcInboundHandler.install(stream, GossipRouter.MAX_RPC_BYTES, e::rpc);
    }
}
