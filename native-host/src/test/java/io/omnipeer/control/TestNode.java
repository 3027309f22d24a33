package io.omnipeer.control;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.node.Node;
import io.omnipeer.node.PeerInfo;
import io.omnipeer.node.PeerListener;
import io.omnipeer.node.PubsubSubscription;
import io.omnipeer.pubsub.PubsubMessage;
import io.omnipeer.rcmgr.ResourceManager;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link Node} for control-socket tests: pubsub delivers locally (as floodsub does for a node's own
 * publishes), connect "connects" to the /p2p/ peer of the address, ping answers at once.
 */
final class TestNode implements Node {
    private final PeerId id = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    private final Map<PeerId, PeerInfo> connected = new ConcurrentHashMap<>();
    private final Map<String, Set<Consumer<PubsubMessage>>> topics = new ConcurrentHashMap<>();
    private final List<PeerListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong seqno = new AtomicLong();
    private final ResourceManager resources = new ResourceManager();

    @Override
    public PeerId peerId() {
        return id;
    }

    @Override
    public List<Multiaddr> listenAddresses() {
        return List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
    }

    @Override
    public String agentVersion() {
        return "omnipeer-test/0";
    }

    @Override
    public List<PeerInfo> connectedPeers() {
        return List.copyOf(connected.values());
    }

    @Override
    public CompletableFuture<PeerId> connect(Multiaddr addr) {
        PeerId peer = addr.peerId().orElse(null);
        if (peer == null) {
            return CompletableFuture.failedFuture(new java.net.ConnectException("Connection refused"));
        }
        addPeer(peer, addr);
        return CompletableFuture.completedFuture(peer);
    }

    void addPeer(PeerId peer, Multiaddr addr) {
        connected.put(peer, new PeerInfo(peer, List.of(addr.withoutPeerId()), List.of("/ipfs/ping/1.0.0"), "test/1"));
        listeners.forEach(l -> l.onPeerConnected(peer));
    }

    @Override
    public CompletableFuture<Duration> ping(PeerId peer) {
        return connected.containsKey(peer) ? CompletableFuture.completedFuture(Duration.ofMillis(3))
                : CompletableFuture.failedFuture(new IllegalStateException("not connected to " + peer));
    }

    @Override
    public PubsubSubscription subscribe(String topic, Consumer<PubsubMessage> onMessage) {
        topics.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(onMessage);
        return new PubsubSubscription() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public void close() {
                topics.getOrDefault(topic, Set.of()).remove(onMessage);
            }
        };
    }

    /** How many local subscribers the topic has. */
    int subscribers(String topic) {
        return topics.getOrDefault(topic, Set.of()).size();
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] data) {
        byte[] seq = ByteBuffer.allocate(8).putLong(seqno.incrementAndGet()).array();
        PubsubMessage message = new PubsubMessage(topic, id, data, seq);
        topics.getOrDefault(topic, Set.of()).forEach(c -> c.accept(message));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void addPeerListener(PeerListener listener) {
        listeners.add(listener);
    }

    @Override
    public ResourceManager resources() {
        return resources;
    }

    @Override
    public CompletableFuture<Void> close() {
        return CompletableFuture.completedFuture(null);
    }
}
