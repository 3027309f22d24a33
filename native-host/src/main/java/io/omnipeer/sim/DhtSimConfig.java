package io.omnipeer.sim;

import io.omnipeer.dht.DhtConfig;

/**
 * One DHT simulation: {@code nodes} DHT servers whose routing tables start converged (each bucket holds up to k
 * random peers of its part of the keyspace, as after a long stable period); after {@code warmupMillis}, random live
 * nodes look up random live peers' IDs ({@code lookups} lookups, one every {@code lookupIntervalMillis}); the run
 * ends {@code drainMillis} after the last one starts. Churn replaces {@code churnPerMinute} of the nodes per
 * simulated minute from time 0; a joining node knows {@code bootstrapPeers} random live nodes and runs the
 * production bootstrap (self lookup plus a random walk per bucket). All times are virtual milliseconds.
 */
public record DhtSimConfig(int nodes, long seed, int minLatencyMillis, int maxLatencyMillis, long warmupMillis,
                           int lookups, long lookupIntervalMillis, long drainMillis, double churnPerMinute,
                           int bootstrapPeers, DhtConfig dht) {
    public DhtSimConfig {
        if (nodes < 2 || lookups < 1 || churnPerMinute < 0 || bootstrapPeers < 1) {
            throw new IllegalArgumentException("need nodes >= 2, lookups >= 1, churn >= 0, bootstrapPeers >= 1");
        }
    }

    /**
     * Links of 10–100 ms, 60 s of churn before the first lookup, one lookup every 50 ms, 60 s drain (request timeout
     * 10 s), 3 bootstrap peers, the production DHT defaults (k=20, alpha=3, one path).
     */
    public static DhtSimConfig of(int nodes, int lookups, double churnPerMinute, long seed) {
        return new DhtSimConfig(nodes, seed, 10, 100, 60_000, lookups, 50, 60_000, churnPerMinute, 3,
                DhtConfig.defaults());
    }
}
