package io.omnipeer.sim;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.dht.Kademlia;
import io.omnipeer.dht.Key;
import io.omnipeer.pubsub.gossipsub.GossipRouter;

import java.util.HashMap;
import java.util.Map;

/**
 * One simulated node: its identity, whether it is up, its open connections, and the production protocol objects
 * it runs (a {@link GossipRouter}, a {@link Kademlia} node), each bound to the simulation through its network seam.
 * Not thread-safe: owned by the simulation thread.
 */
public final class SimNode {
    private final int index;
    private final PeerId id;
    private final PrivateKey key;
    private final long joinedAt;
    private long leftAt = -1;
    /** Open connections: remote peer → true if this node dialled it. */
    final Map<PeerId, Boolean> links = new HashMap<>();
    SimGossipNetwork gossipNetwork;
    GossipRouter router;
    /** The node's Kademlia DHT, or null if the run has no DHT. */
    Kademlia dht;
    /** The node's keyspace point (SHA-256 of its peer ID), computed once. */
    Key dhtKey;

    SimNode(int index, PeerId id, PrivateKey key, long joinedAt) {
        this.index = index;
        this.id = id;
        this.key = key;
        this.joinedAt = joinedAt;
    }

    /** Position in the simulation's node list (never reused). */
    public int index() {
        return index;
    }

    public PeerId id() {
        return id;
    }

    /** The node's key, or null when the run does not need one (DHT only: the peer ID is enough). */
    public PrivateKey key() {
        return key;
    }

    /** Virtual time the node came up, ms. */
    public long joinedAt() {
        return joinedAt;
    }

    public boolean isAlive() {
        return leftAt < 0;
    }

    /** Virtual time the node left, ms; -1 while it is up. */
    public long leftAt() {
        return leftAt;
    }

    void markLeft(long time) {
        leftAt = time;
    }

    /** The node's gossipsub router, or null if the run has no gossip. */
    public GossipRouter router() {
        return router;
    }

    /** Number of open connections. */
    public int linkCount() {
        return links.size();
    }

    @Override
    public String toString() {
        return "node#" + index;
    }
}
