package io.omnipeer.dht;

import java.time.Duration;

/**
 * Parameters of an {@link IterativeLookup}. Spec: libp2p/specs kad-dht/README.md, "Replication parameter (k)",
 * "Alpha concurrency parameter"; disjoint paths from S/Kademlia (Baumgart and Mies 2007, section 4.4).
 *
 * @param k              replication parameter: the lookup ends when the k closest peers seen have answered (20)
 * @param alpha          requests in flight per path (3 here; the spec's default is 10, go uses 10, js 10)
 * @param disjointPaths  d independent paths; a peer is queried by at most one of them (1 = plain Kademlia)
 * @param requestTimeout how long one request may take before its peer counts as failed
 * @param lookupTimeout  bound on the whole lookup; it then ends with what it has
 * @param maxQueries     bound on requests per lookup, so a peer inventing ever-closer fake peers cannot keep it going
 */
public record LookupOptions(int k, int alpha, int disjointPaths, Duration requestTimeout, Duration lookupTimeout,
                            int maxQueries) {
    public static final int DEFAULT_K = RoutingTable.DEFAULT_BUCKET_SIZE;
    public static final int DEFAULT_ALPHA = 3;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** The spec's QueryTimeout for bootstrap runs is 10 s; user lookups get longer. */
    public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_QUERIES = 200;

    public LookupOptions {
        if (k < 1 || alpha < 1 || disjointPaths < 1 || maxQueries < 1) {
            throw new IllegalArgumentException("k, alpha, disjointPaths and maxQueries must be >= 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || lookupTimeout.isNegative() || lookupTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static LookupOptions defaults() {
        return new LookupOptions(DEFAULT_K, DEFAULT_ALPHA, 1, DEFAULT_REQUEST_TIMEOUT, DEFAULT_LOOKUP_TIMEOUT,
                DEFAULT_MAX_QUERIES);
    }

    public LookupOptions withAlpha(int a) {
        return new LookupOptions(k, a, disjointPaths, requestTimeout, lookupTimeout, maxQueries);
    }

    public LookupOptions withDisjointPaths(int d) {
        return new LookupOptions(k, alpha, d, requestTimeout, lookupTimeout, maxQueries);
    }

    public LookupOptions withK(int newK) {
        return new LookupOptions(newK, alpha, disjointPaths, requestTimeout, lookupTimeout, maxQueries);
    }

    public LookupOptions withRequestTimeout(Duration t) {
        return new LookupOptions(k, alpha, disjointPaths, t, lookupTimeout, maxQueries);
    }

    public LookupOptions withLookupTimeout(Duration t) {
        return new LookupOptions(k, alpha, disjointPaths, requestTimeout, t, maxQueries);
    }
}
