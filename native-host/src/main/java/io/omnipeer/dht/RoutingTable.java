package io.omnipeer.dht;

import io.omnipeer.core.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Kademlia routing table: {@link Key#BITS} k-buckets indexed by common-prefix length with the local key.
 * Only peers that speak the DHT as servers should be added (kad-dht/README.md, "Client and server mode").
 * A full bucket keeps its older peers and refuses the newcomer; {@link #leastRecentlySeen} names the peer a caller
 * should check for liveness and {@link #remove} if it is gone (the original Kademlia policy: old live peers are
 * preferred, dead ones replaced). Spec: libp2p/specs kad-dht/README.md, "Kademlia routing table".
 * Thread-safe (all methods synchronized). A bucket's deque is created on its first peer: a table holds about
 * log2(n/k) non-empty buckets, so the 257 possible ones would otherwise cost ~30 KB per table (100,000-node simulation).
 */
public final class RoutingTable {
    /** Bucket size k (kad-dht/README.md: "k = 20"). */
    public static final int DEFAULT_BUCKET_SIZE = 20;
    /** Outcomes of {@link #insert}. */
    private static final int REFUSED = 0;
    private static final int REFRESHED = 1;
    private static final int ADDED = 2;

    private final Key self;
    private final int bucketSize;
    /** Bucket i holds peers sharing exactly i leading key bits with us (256: only ourselves); null while empty. */
    @SuppressWarnings("unchecked")
    private final Deque<PeerId>[] buckets = new Deque[Key.BITS + 1];
    /** Copy-on-write; empty (shared) until the first listener, so simulated tables carry no list. */
    private volatile List<RoutingTableListener> listeners = List.of();

    /** @param self the local peer; @param bucketSize k, at least 1 */
    public RoutingTable(PeerId self, int bucketSize) {
        if (bucketSize < 1) {
            throw new IllegalArgumentException("bucketSize must be >= 1: " + bucketSize);
        }
        this.self = Key.of(self);
        this.bucketSize = bucketSize;
    }

    /** Registers a listener for peers entering and leaving the table. */
    public synchronized void addListener(RoutingTableListener listener) {
        List<RoutingTableListener> next = new ArrayList<>(listeners);
        next.add(listener);
        listeners = List.copyOf(next);
    }

    /**
     * Adds or refreshes {@code peer} (moves it to the bucket's most-recently-seen end).
     * @return true if the peer is in the table afterwards; false if its bucket was full or it is the local peer
     */
    public boolean add(PeerId peer) {
        int outcome;
        synchronized (this) {
            outcome = insert(peer);
        }
        if (outcome == ADDED) {
            for (RoutingTableListener l : listeners) {
                l.onPeerAdded(peer);
            }
        }
        return outcome != REFUSED;
    }

    private int insert(PeerId peer) {
        Key k = Key.of(peer);
        int cpl = self.commonPrefixLength(k);
        if (cpl == Key.BITS) {
            return REFUSED;
        }
        Deque<PeerId> bucket = buckets[cpl];
        if (bucket == null) {
            bucket = new ArrayDeque<>(Math.min(bucketSize, 32));
            buckets[cpl] = bucket;
        }
        if (bucket.remove(peer)) {
            bucket.addLast(peer);
            return REFRESHED;
        }
        if (bucket.size() >= bucketSize) {
            return REFUSED;
        }
        bucket.addLast(peer);
        return ADDED;
    }

    /**
     * The least-recently-seen peer of the bucket {@code newcomer} belongs in, when that bucket is full and the
     * newcomer not in it; empty otherwise.
     */
    public synchronized Optional<PeerId> leastRecentlySeen(PeerId newcomer) {
        int cpl = self.commonPrefixLength(Key.of(newcomer));
        Deque<PeerId> bucket = cpl == Key.BITS ? null : buckets[cpl];
        if (bucket == null || bucket.size() < bucketSize || bucket.contains(newcomer)) {
            return Optional.empty();
        }
        return Optional.of(bucket.peekFirst());
    }

    /** Removes {@code peer}; returns whether it was present. */
    public boolean remove(PeerId peer) {
        boolean removed;
        synchronized (this) {
            Deque<PeerId> bucket = buckets[self.commonPrefixLength(Key.of(peer))];
            removed = bucket != null && bucket.remove(peer);
        }
        if (removed) {
            for (RoutingTableListener l : listeners) {
                l.onPeerRemoved(peer);
            }
        }
        return removed;
    }

    /** Whether {@code peer} is in the table. */
    public synchronized boolean contains(PeerId peer) {
        Deque<PeerId> bucket = buckets[self.commonPrefixLength(Key.of(peer))];
        return bucket != null && bucket.contains(peer);
    }

    /** Number of peers in the table. */
    public synchronized int size() {
        int n = 0;
        for (Deque<PeerId> b : buckets) {
            n += b == null ? 0 : b.size();
        }
        return n;
    }

    /** Up to {@code count} peers closest to {@code target} by XOR distance, closest first. */
    public synchronized List<PeerId> closest(Key target, int count) {
        record Keyed(PeerId peer, Key key) {
        }
        List<Keyed> all = new ArrayList<>();
        for (Deque<PeerId> b : buckets) {
            if (b != null) {
                b.forEach(p -> all.add(new Keyed(p, Key.of(p)))); // hash each peer once, not per comparison
            }
        }
        all.sort((a, b) -> target.compareDistance(a.key(), b.key()));
        List<PeerId> out = new ArrayList<>(Math.min(count, all.size()));
        for (int i = 0; i < all.size() && i < count; i++) {
            out.add(all.get(i).peer());
        }
        return List.copyOf(out);
    }

    /** Every peer in the table (a snapshot). */
    public synchronized Set<PeerId> peers() {
        Set<PeerId> out = new LinkedHashSet<>();
        for (Deque<PeerId> b : buckets) {
            if (b != null) {
                out.addAll(b);
            }
        }
        return out;
    }

    /** Indices of non-empty buckets' common-prefix lengths, for bucket refresh. */
    public synchronized List<Integer> nonEmptyBuckets() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < buckets.length; i++) {
            if (buckets[i] != null && !buckets[i].isEmpty()) {
                out.add(i);
            }
        }
        return out;
    }
}
