package io.omnipeer.sim;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The simulated network: nodes (with deterministic Ed25519 identities from the seed), which of them are up, and
 * the connections between them. A connection takes {@link #HANDSHAKE_LATENCIES} one-way latencies to open (TCP,
 * multistream-select, Noise XX, yamux); when a node leaves, each peer notices one latency later, as a closed TCP
 * connection. Listeners let the protocols react to connections and departures.
 * Not thread-safe: owned by the simulation thread.
 */
public final class Overlay {
    /** One-way latencies from dial to an open, upgraded connection (TCP 1.5 RTT + Noise XX 1.5 RTT, rounded). */
    static final int HANDSHAKE_LATENCIES = 6;

    /** Reacts to connections opening and closing. */
    public interface LinkListener {
        void connected(SimNode node, SimNode remote);

        void disconnected(SimNode node, SimNode remote);
    }

    private final EventScheduler clock;
    private final LinkLatency latency;
    private final Random random;
    private final List<SimNode> nodes = new ArrayList<>();
    private final Map<PeerId, SimNode> byId = new HashMap<>();
    /** Indices of live nodes; {@link #alivePosition} says where each sits (swap-remove keeps it dense). */
    private int[] alive = new int[1024];
    private int aliveCount;
    private int[] alivePosition = new int[1024];
    private final List<LinkListener> listeners = new ArrayList<>();
    private final List<Consumer<SimNode>> departureListeners = new ArrayList<>();

    public Overlay(EventScheduler clock, LinkLatency latency, Random random) {
        this.clock = clock;
        this.latency = latency;
        this.random = random;
    }

    public EventScheduler clock() {
        return clock;
    }

    public Random random() {
        return random;
    }

    public void addLinkListener(LinkListener l) {
        listeners.add(l);
    }

    /** Called when a node leaves, before its peers notice. */
    public void addDepartureListener(Consumer<SimNode> l) {
        departureListeners.add(l);
    }

    /**
     * A new live node with an identity drawn from the run's random source.
     *
     * @param withKey true: a real Ed25519 key pair (the node can sign pubsub messages); false: a peer ID of the same
     *                form (identity multihash of an Ed25519 public key) over random bytes, without a private key, for
     *                nodes that never sign (key generation in the JDK costs about a millisecond per node)
     */
    public SimNode addNode(boolean withKey) {
        byte[] seed = new byte[Ed25519PrivateKey.SEED_LENGTH];
        random.nextBytes(seed);
        SimNode node;
        if (withKey) {
            Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(seed);
            node = new SimNode(nodes.size(), PeerId.fromPublicKey(key.publicKey()), key, clock.nowMillis());
        } else {
            node = new SimNode(nodes.size(), PeerId.fromBytes(unsignedIdentity(seed)), null, clock.nowMillis());
        }
        nodes.add(node);
        byId.put(node.id(), node);
        if (aliveCount == alive.length) {
            alive = java.util.Arrays.copyOf(alive, alive.length * 2);
        }
        if (node.index() >= alivePosition.length) {
            alivePosition = java.util.Arrays.copyOf(alivePosition, Math.max(alivePosition.length * 2, node.index() + 1));
        }
        alivePosition[node.index()] = aliveCount;
        alive[aliveCount++] = node.index();
        return node;
    }

    /** Identity multihash of a marshalled Ed25519 public key (KeyType 1, 32 bytes) holding {@code raw}. */
    private static byte[] unsignedIdentity(byte[] raw) {
        byte[] out = new byte[6 + raw.length];
        out[0] = 0x00; // multihash identity
        out[1] = (byte) (4 + raw.length);
        out[2] = 0x08; // PublicKey.Type = Ed25519 (1)
        out[3] = 0x01;
        out[4] = 0x12; // PublicKey.Data, 32 bytes
        out[5] = (byte) raw.length;
        System.arraycopy(raw, 0, out, 6, raw.length);
        return out;
    }

    /** Every node ever added, live or gone, by index. */
    public List<SimNode> nodes() {
        return nodes;
    }

    /** The node with this peer ID (live or gone), or null if no simulated node has it. */
    public SimNode node(PeerId id) {
        return byId.get(id);
    }

    public int aliveCount() {
        return aliveCount;
    }

    /** A uniformly random live node (there must be one). */
    public SimNode randomAlive() {
        return nodes.get(alive[random.nextInt(aliveCount)]);
    }

    /** Live nodes, in no particular order (a copy). */
    public List<SimNode> aliveNodes() {
        List<SimNode> out = new ArrayList<>(aliveCount);
        for (int i = 0; i < aliveCount; i++) {
            out.add(nodes.get(alive[i]));
        }
        return out;
    }

    /** One-way latency between two nodes, ms. */
    public int latency(SimNode a, SimNode b) {
        return latency.millis(a.index(), b.index());
    }

    /**
     * {@code dialer} dials {@code target}: after the handshake both sides hold the connection (the dialer's marked
     * outbound) and listeners hear of it. Nothing happens if either side left meanwhile or they are already connected.
     */
    public void connect(SimNode dialer, SimNode target) {
        if (dialer == target) {
            return;
        }
        clock.schedule((long) HANDSHAKE_LATENCIES * latency(dialer, target), () -> {
            if (!dialer.isAlive() || !target.isAlive() || dialer.links.containsKey(target.id())) {
                return;
            }
            dialer.links.put(target.id(), Boolean.TRUE);
            target.links.put(dialer.id(), Boolean.FALSE);
            listeners.forEach(l -> l.connected(dialer, target));
            listeners.forEach(l -> l.connected(target, dialer));
        });
    }

    /** Forgets every node and listener (end of a run, so the network can be collected and its heap measured). */
    void clear() {
        nodes.clear();
        byId.clear();
        listeners.clear();
        departureListeners.clear();
        aliveCount = 0;
    }

    /** {@code node} leaves now; each peer sees its connection close one latency later. */
    public void leave(SimNode node) {
        if (!node.isAlive()) {
            return;
        }
        node.markLeft(clock.nowMillis());
        int pos = alivePosition[node.index()];
        int last = alive[--aliveCount];
        alive[pos] = last;
        alivePosition[last] = pos;
        departureListeners.forEach(l -> l.accept(node));
        for (PeerId peerId : List.copyOf(node.links.keySet())) {
            SimNode peer = byId.get(peerId);
            clock.schedule(latency(node, peer), () -> {
                if (peer.links.remove(node.id()) != null) {
                    listeners.forEach(l -> l.disconnected(peer, node));
                }
            });
        }
        node.links.clear();
    }
}
