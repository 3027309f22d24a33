package io.omnipeer.sim;

import io.omnipeer.pubsub.gossipsub.GossipParams;

/**
 * One gossipsub simulation: {@code nodes} nodes all subscribed to one topic, each dialling {@code dialsPerNode}
 * random others; after {@code warmupMillis} of heartbeats, random live nodes publish {@code messages} messages of
 * {@code payloadBytes}, one every {@code publishIntervalMillis}; the run ends {@code drainMillis} after the last.
 * Churn replaces {@code churnPerMinute} of the nodes per simulated minute from the start to the end.
 * All times are virtual milliseconds.
 */
public record GossipSimConfig(int nodes, long seed, int dialsPerNode, int minLatencyMillis, int maxLatencyMillis,
                              long warmupMillis, int messages, long publishIntervalMillis, long drainMillis,
                              int payloadBytes, double churnPerMinute, GossipParams params) {
    public GossipSimConfig {
        if (nodes < 2 || dialsPerNode < 1 || messages < 1 || payloadBytes < 4 || churnPerMinute < 0) {
            throw new IllegalArgumentException("need nodes >= 2, dialsPerNode >= 1, messages >= 1, payload >= 4 bytes");
        }
    }

    /**
     * 8 dials per node (about 16 connections each), links of 10–100 ms, 20 s warm-up, messages of 256 bytes two per
     * second, 10 s drain, the router's default parameters (D=6, 1 s heartbeat, flood publishing).
     */
    public static GossipSimConfig of(int nodes, int messages, double churnPerMinute, long seed) {
        return new GossipSimConfig(nodes, seed, 8, 10, 100, 20_000, messages, 500, 10_000, 256, churnPerMinute,
                GossipParams.defaults());
    }
}
