package io.omnipeer.sim;

/**
 * What a gossipsub simulation measured.
 *
 * @param nodes               network size (kept constant under churn)
 * @param churnPerMinute      fraction of nodes replaced per simulated minute
 * @param messages            messages published
 * @param deliveryRate        deliveries / expected deliveries; expected = for each message, the nodes (other than its
 *                            publisher) up since {@link GossipSimulation#JOIN_GRACE_MILLIS} before it was published and
 *                            still up at the end
 * @param duplicateRatio      copies of a message received after the first, per delivered message (all nodes)
 * @param latencyMedianMillis publish-to-delivery virtual time, median over all deliveries, ms
 * @param latencyP95Millis    same, 95th percentile, ms
 * @param rpcBytesPerMessage  pubsub RPC bytes sent by all nodes per published message (messages, gossip, control)
 * @param heapBytesPerNode    heap in use per node after the warm-up (routers, meshes, connections, identities)
 * @param meanMeshDegree      mean mesh size over live nodes at the end
 * @param left                nodes that left during the run
 * @param joined              nodes that joined during the run
 * @param events              simulation events executed
 * @param failures            simulation events that threw (0 expected)
 * @param wallMillis          real time the run took, ms
 */
public record GossipFigures(int nodes, double churnPerMinute, int messages, double deliveryRate, double duplicateRatio,
                            long latencyMedianMillis, long latencyP95Millis, double rpcBytesPerMessage,
                            long heapBytesPerNode, double meanMeshDegree, int left, int joined, long events,
                            long failures, long wallMillis) {
}
