package io.omnipeer.protocol.identify;

import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.omnipeer.core.Connection;
import io.omnipeer.core.ConnectionListener;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;
import io.omnipeer.core.Varint;
import io.omnipeer.core.crypto.PublicKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.protocol.identify.pb.IdentifyProtos.Identify;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p identify: answers {@code /ipfs/id/1.0.0}, identifies every new connection (both sides), applies
 * {@code /ipfs/id/push/1.0.0} updates and pushes ours when our protocols change. Results fill the host's
 * peerstore and go to {@link IdentifyListener}s. Spec: libp2p/specs identify/README.md.
 *
 * <p>Messages are uvarint-length-prefixed protobufs, at most {@link #MAX_MESSAGE_LENGTH} bytes per stream; the
 * sender writes its message and closes the stream. A message whose public key does not match the connection's
 * peer is ignored (logged). Thread-safe.
 */
public final class IdentifyService {
    public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";
    /** Our {@code protocolVersion}, the value go-libp2p and js-libp2p send. */
    public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
    /** Bound on the bytes of one identify stream (js-libp2p reads at most 8 KiB, go-libp2p 4 KiB per message). */
    public static final int MAX_MESSAGE_LENGTH = 64 * 1024;
    /** Observed addresses remembered (most recent first). */
    public static final int MAX_OBSERVED_ADDRESSES = 8;
    /** Protocol changes within this window are announced with one push. */
    public static final Duration PUSH_DEBOUNCE = Duration.ofMillis(100);

    private static final Logger LOG = LoggerFactory.getLogger(IdentifyService.class);

    private final DefaultHost host;
    private final List<IdentifyListener> listeners = new CopyOnWriteArrayList<>();
    private final LinkedHashSet<Multiaddr> observed = new LinkedHashSet<>();
    private final AtomicBoolean pushScheduled = new AtomicBoolean();

    /** Registers the handlers on {@code host} and starts identifying its connections. */
    public IdentifyService(DefaultHost host) {
        this.host = host;
        host.setStreamHandler(PROTOCOL_ID, this::answer);
        host.setStreamHandler(PUSH_PROTOCOL_ID, this::receivePush);
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void onConnected(Connection connection) {
                identify(connection).exceptionally(e -> {
                    LOG.debug("identify of {} failed: {}", connection.remotePeer(), e.toString());
                    return null;
                });
            }
        });
        host.addProtocolsListener(this::schedulePush);
    }

    public void addListener(IdentifyListener listener) {
        listeners.add(listener);
    }

    /** Our addresses as peers observed them, most recent first. */
    public List<Multiaddr> observedAddresses() {
        synchronized (observed) {
            List<Multiaddr> list = new ArrayList<>(observed);
            java.util.Collections.reverse(list);
            return list;
        }
    }

    /** Asks the peer of {@code connection} to identify itself and records the answer. */
    public CompletableFuture<IdentifyResult> identify(Connection connection) {
        CompletableFuture<Identify> message = new CompletableFuture<>();
        return connection.newStream(List.of(PROTOCOL_ID), stream -> {
            IdentifyMessageReader reader = new IdentifyMessageReader(stream);
            stream.channel().pipeline().addLast(reader);
            reader.result().whenComplete((m, e) -> {
                if (e != null) {
                    message.completeExceptionally(e);
                } else {
                    message.complete(m);
                }
            });
        }).thenCompose(stream -> message).thenApply(m -> apply(connection, m, false));
    }

    private void schedulePush() {
        if (pushScheduled.compareAndSet(false, true)) {
            CompletableFuture.delayedExecutor(PUSH_DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                pushScheduled.set(false);
                pushToAll();
            });
        }
    }

    /** Sends our current Identify message to every connected peer on {@code /ipfs/id/push/1.0.0}. */
    public void pushToAll() {
        for (Connection c : host.connections()) {
            c.newStream(List.of(PUSH_PROTOCOL_ID)).thenAccept(stream -> send(stream, true)).exceptionally(e -> {
                LOG.debug("identify push to {} failed: {}", c.remotePeer(), e.toString());
                return null;
            });
        }
    }

    private void answer(Stream stream) {
        send(stream, false);
    }

    private void send(Stream stream, boolean push) {
        byte[] message = ourMessage(stream.connection()).toByteArray();
        ByteBuf out = stream.channel().alloc().buffer(Varint.MAX_BYTES + message.length);
        Varint.write(message.length, out);
        out.writeBytes(message);
        stream.channel().writeAndFlush(out).addListener((ChannelFutureListener) f -> stream.close());
        LOG.debug("sent identify{} to {}", push ? " push" : "", stream.remotePeer());
    }

    private void receivePush(Stream stream) {
        IdentifyMessageReader reader = new IdentifyMessageReader(stream);
        stream.channel().pipeline().addLast(reader);
        reader.result().thenAccept(message -> apply(stream.connection(), message, true)).exceptionally(e -> {
            LOG.debug("identify push from {} rejected: {}", stream.remotePeer(), e.toString());
            return null;
        });
    }

    Identify ourMessage(Connection connection) {
        Identify.Builder b = Identify.newBuilder()
                .setProtocolVersion(PROTOCOL_VERSION)
                .setAgentVersion(host.agentVersion())
                .setPublicKey(ByteString.copyFrom(host.privateKey().publicKey().marshal()))
                .setObservedAddr(ByteString.copyFrom(connection.remoteAddress().bytes()));
        for (Multiaddr a : host.listenAddresses()) {
            b.addListenAddrs(ByteString.copyFrom(a.bytes()));
        }
        b.addAllProtocols(host.supportedProtocols().stream().sorted().toList());
        return b.build();
    }

    private IdentifyResult apply(Connection connection, Identify message, boolean push) {
        PeerId peer = connection.remotePeer();
        Optional<PublicKey> key = Optional.empty();
        if (message.hasPublicKey()) {
            PublicKey k = PublicKey.unmarshal(message.getPublicKey().toByteArray());
            if (!peer.matches(k)) {
                throw new DecodingException("identify public key does not match peer " + peer);
            }
            key = Optional.of(k);
        }
        List<Multiaddr> listen = new ArrayList<>();
        for (ByteString b : message.getListenAddrsList()) {
            decodeAddress(b, peer).ifPresent(listen::add);
        }
        Optional<Multiaddr> observedAddr = message.hasObservedAddr() ? decodeAddress(message.getObservedAddr(), peer) : Optional.empty();
        IdentifyResult result = new IdentifyResult(peer,
                message.hasProtocolVersion() ? Optional.of(message.getProtocolVersion()) : Optional.empty(),
                message.hasAgentVersion() ? Optional.of(message.getAgentVersion()) : Optional.empty(),
                key, List.copyOf(listen), observedAddr, List.copyOf(message.getProtocolsList()));
        key.ifPresent(k -> host.peerstore().putPublicKey(peer, k));
        if (!listen.isEmpty()) {
            host.peerstore().addAddresses(peer, listen);
        }
        if (!push || message.getProtocolsCount() > 0) {
            host.peerstore().setProtocols(peer, message.getProtocolsList());
        }
        result.agentVersion().ifPresent(v -> host.peerstore().setAgentVersion(peer, v));
        observedAddr.ifPresent(a -> {
            synchronized (observed) {
                observed.remove(a);
                observed.add(a);
                if (observed.size() > MAX_OBSERVED_ADDRESSES) {
                    observed.remove(observed.iterator().next());
                }
            }
        });
        LOG.debug("identified {}: agent={} protocols={} addrs={}", peer, result.agentVersion().orElse("?"), result.protocols(), listen);
        for (IdentifyListener l : listeners) {
            try {
                l.onIdentified(peer, result);
            } catch (RuntimeException e) {
                LOG.warn("identify listener failed: {}", e.toString());
            }
        }
        return result;
    }

    private static Optional<Multiaddr> decodeAddress(ByteString bytes, PeerId peer) {
        try {
            return Optional.of(Multiaddr.fromBytes(bytes.toByteArray()));
        } catch (DecodingException | IllegalArgumentException e) {
            LOG.debug("ignoring undecodable address from {}: {}", peer, e.getMessage());
            return Optional.empty();
        }
    }
}
