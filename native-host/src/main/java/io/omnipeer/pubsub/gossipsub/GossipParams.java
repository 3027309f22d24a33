package io.omnipeer.pubsub.gossipsub;

/**
 * Gossipsub router parameters. Defaults are the spec's.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.0.md, "Parameters"; gossipsub-v1.1.md, "Explicit Peering
 * Agreements"/"PRUNE Backoff and Peer Exchange"/"Flood Publishing"/"Adaptive Gossip Dissemination".
 *
 * @param d                        desired mesh degree (D)
 * @param dLo                      below this the heartbeat grafts up to D (D_lo)
 * @param dHi                      above this the heartbeat prunes down to D (D_hi)
 * @param dLazy                    least number of peers sent IHAVE gossip per topic per heartbeat (D_lazy)
 * @param gossipFactor             fraction of eligible non-mesh peers sent gossip, when more than dLazy (v1.1)
 * @param heartbeatMillis          heartbeat interval, ms
 * @param fanoutTtlMillis          fanout state is dropped this long after the last publish to a topic, ms
 * @param mcacheLength             heartbeats a message stays in the message cache (answerable by IWANT)
 * @param mcacheGossip             most recent heartbeats whose message IDs are advertised in IHAVE
 * @param seenTtlMillis            how long a message ID is remembered for duplicate suppression, ms
 * @param pruneBackoffMillis       backoff sent with and applied after a PRUNE, ms (v1.1: 1 minute)
 * @param unsubscribeBackoffMillis backoff after leaving a topic, ms (v1.1 / go-libp2p: 10 s)
 * @param floodPublish             if true our own messages go to every subscribed peer, not only the mesh (v1.1)
 */
public record GossipParams(int d, int dLo, int dHi, int dLazy, double gossipFactor, long heartbeatMillis,
                           long fanoutTtlMillis, int mcacheLength, int mcacheGossip, long seenTtlMillis,
                           long pruneBackoffMillis, long unsubscribeBackoffMillis, boolean floodPublish) {

    public GossipParams {
        if (!(0 < dLo && dLo <= d && d <= dHi) || dLazy < 0 || heartbeatMillis <= 0
                || mcacheGossip > mcacheLength || mcacheGossip < 1) {
            throw new IllegalArgumentException("need 0 < D_lo <= D <= D_hi, D_lazy >= 0, 1 <= mcacheGossip <= mcacheLength");
        }
    }

    /** D=6, D_lo=4, D_hi=12, D_lazy=6, gossip factor 0.25, 1 s heartbeat, fanout TTL 60 s, mcache 5/3, seen TTL 120 s,
     * prune backoff 60 s, unsubscribe backoff 10 s, flood publish on. */
    public static GossipParams defaults() {
        return new GossipParams(6, 4, 12, 6, 0.25, 1_000, 60_000, 5, 3, 120_000, 60_000, 10_000, true);
    }

    /** Same parameters with another heartbeat interval (tests). */
    public GossipParams withHeartbeatMillis(long millis) {
        return new GossipParams(d, dLo, dHi, dLazy, gossipFactor, millis, fanoutTtlMillis, mcacheLength, mcacheGossip,
                seenTtlMillis, pruneBackoffMillis, unsubscribeBackoffMillis, floodPublish);
    }

    /** Same parameters with flood publishing on or off. */
    public GossipParams withFloodPublish(boolean on) {
        return new GossipParams(d, dLo, dHi, dLazy, gossipFactor, heartbeatMillis, fanoutTtlMillis, mcacheLength,
                mcacheGossip, seenTtlMillis, pruneBackoffMillis, unsubscribeBackoffMillis, on);
    }
}
