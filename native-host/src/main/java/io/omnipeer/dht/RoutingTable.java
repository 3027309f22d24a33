package io.omnipeer.dht;

import io.omnipeer.core.PeerId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * Kademlia routing table: {@link Key#BITS} k-buckets indexed by common-prefix length with the local key.
 * Only peers that speak the DHT as servers should be added (kad-dht/README.md, "Client and server mode").
 * A full bucket keeps its older peers and drops the newcomer (least-recently-seen eviction needs a liveness
 * check, left to the caller via {@link #remove}). Spec: libp2p/specs kad-dht/README.md, "Kademlia routing table".
 * Thread-safe (all methods synchronized).
 */
public final class RoutingTable {
    /** Bucket size k (kad-dht/README.md: "k = 20"). */
    public static final int DEFAULT_BUCKET_SIZE = 20;

    private final Key self;
    private final int bucketSize;
    private final List<Deque<PeerId>> buckets = new ArrayList<>();

    /** @param self the local peer; @param bucketSize k, at least 1 */
    public RoutingTable(PeerId self, int bucketSize) {
        if (bucketSize < 1) {
            throw new IllegalArgumentException("bucketSize must be >= 1: " + bucketSize);
        }
        this.self = Key.of(self);
        this.bucketSize = bucketSize;
        for (int i = 0; i <= Key.BITS; i++) {
            buckets.add(new ArrayDeque<>());
        }
    }

    /**
     * Adds or refreshes {@code peer} (moves it to the bucket's most-recently-seen end).
     * @return true if the peer is in the table afterwards; false if its bucket was full or it is the local peer
     */
    public synchronized boolean add(PeerId peer) {
        Key k = Key.of(peer);
        int cpl = self.commonPrefixLength(k);
        if (cpl == Key.BITS) {
            return false;
        }
        Deque<PeerId> bucket = buckets.get(cpl);
        if (bucket.remove(peer)) {
            bucket.addLast(peer);
            return true;
        }
        if (bucket.size() >= bucketSize) {
            return false;
        }
        bucket.addLast(peer);
        return true;
    }

    /** Removes {@code peer}; returns whether it was present. */
    public synchronized boolean remove(PeerId peer) {
        return buckets.get(Math.min(self.commonPrefixLength(Key.of(peer)), Key.BITS)).remove(peer);
    }

    /** Whether {@code peer} is in the table. */
    public synchronized boolean contains(PeerId peer) {
        return buckets.get(Math.min(self.commonPrefixLength(Key.of(peer)), Key.BITS)).contains(peer);
    }

    /** Number of peers in the table. */
    public synchronized int size() {
        return buckets.stream().mapToInt(Deque::size).sum();
    }

    /** Up to {@code count} peers closest to {@code target} by XOR distance, closest first. */
    public synchronized List<PeerId> closest(Key target, int count) {
        List<PeerId> all = new ArrayList<>();
        buckets.forEach(all::addAll);
        all.sort(Comparator.comparing(Key::of, target::compareDistance));
        return List.copyOf(all.subList(0, Math.min(count, all.size())));
    }

    /** Every peer in the table (a snapshot). */
    public synchronized java.util.Set<PeerId> peers() {
        java.util.Set<PeerId> out = new java.util.LinkedHashSet<>();
        buckets.forEach(out::addAll);
        return out;
    }

    /** Indices of non-empty buckets' common-prefix lengths, for bucket refresh. */
    public synchronized List<Integer> nonEmptyBuckets() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            if (!buckets.get(i).isEmpty()) {
                out.add(i);
            }
        }
        return out;
    }
}
