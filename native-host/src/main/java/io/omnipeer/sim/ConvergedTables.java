package io.omnipeer.sim;

import io.omnipeer.dht.Key;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Fills routing tables as a long-running stable network would have them: for each node and each common-prefix
 * length c, up to k peers drawn at random from the nodes sharing exactly c leading key bits with it (bucket c).
 * Uses the keyspace order: the nodes sharing at least c bits with a node form a contiguous run around it in the
 * sorted keys, found by binary search. Cost O(n · log² n) key comparisons plus the table insertions.
 * Spec: libp2p/specs kad-dht/README.md, "Kademlia routing table". Simulation thread only.
 */
final class ConvergedTables {
    private ConvergedTables() {
    }

    /**
     * @param nodes the nodes, each with {@link SimNode#dhtKey} set
     * @param add   called for (node, peer) for every entry chosen; the caller inserts it into node's table
     */
    static void fill(List<SimNode> nodes, int k, Random random, BiConsumer<SimNode, SimNode> add) {
        SimNode[] sorted = nodes.toArray(SimNode[]::new);
        Arrays.sort(sorted, Comparator.comparing((SimNode n) -> n.dhtKey));
        int n = sorted.length;
        for (int i = 0; i < n; i++) {
            SimNode self = sorted[i];
            Key sk = self.dhtKey;
            int lo = 0;
            int hi = n - 1;
            for (int c = 0; c < Key.BITS && (lo < i || hi > i); c++) {
                int bits = c + 1;
                int lo1 = firstSharing(sorted, sk, bits, lo, i);
                int hi1 = lastSharing(sorted, sk, bits, i, hi);
                // bucket c = [lo, lo1) and (hi1, hi]: one of the two is empty (bit c of those keys is the flip of ours)
                pick(sorted, lo, lo1, hi1 + 1, hi + 1, k, random, self, add);
                lo = lo1;
                hi = hi1;
            }
        }
    }

    /** Smallest j in [from, self] whose key shares at least {@code bits} leading bits with {@code sk}. */
    private static int firstSharing(SimNode[] sorted, Key sk, int bits, int from, int self) {
        int a = from;
        int b = self;
        while (a < b) {
            int mid = (a + b) >>> 1;
            if (sk.commonPrefixLength(sorted[mid].dhtKey) >= bits) {
                b = mid;
            } else {
                a = mid + 1;
            }
        }
        return a;
    }

    /** Largest j in [self, to] whose key shares at least {@code bits} leading bits with {@code sk}. */
    private static int lastSharing(SimNode[] sorted, Key sk, int bits, int self, int to) {
        int a = self;
        int b = to;
        while (a < b) {
            int mid = (a + b + 1) >>> 1;
            if (sk.commonPrefixLength(sorted[mid].dhtKey) >= bits) {
                a = mid;
            } else {
                b = mid - 1;
            }
        }
        return a;
    }

    /** Up to k random nodes from the index ranges [a0, a1) and [b0, b1), handed to {@code add}. */
    private static void pick(SimNode[] sorted, int a0, int a1, int b0, int b1, int k, Random random, SimNode self,
                             BiConsumer<SimNode, SimNode> add) {
        int sizeA = Math.max(0, a1 - a0);
        int size = sizeA + Math.max(0, b1 - b0);
        if (size == 0) {
            return;
        }
        if (size <= k) {
            for (int j = 0; j < size; j++) {
                add.accept(self, sorted[j < sizeA ? a0 + j : b0 + j - sizeA]);
            }
            return;
        }
        // Floyd's algorithm: k distinct positions out of size
        java.util.Set<Integer> chosen = new java.util.HashSet<>();
        for (int j = size - k; j < size; j++) {
            int t = random.nextInt(j + 1);
            chosen.add(chosen.contains(t) ? j : t);
        }
        for (int j : chosen.stream().sorted().toList()) {
            add.accept(self, sorted[j < sizeA ? a0 + j : b0 + j - sizeA]);
        }
    }
}
