package io.omnipeer.sim;

/**
 * What a DHT simulation measured over its lookups (FIND_NODE for the ID of a random live peer).
 *
 * @param nodes            network size (kept constant under churn)
 * @param churnPerMinute   fraction of nodes replaced per simulated minute
 * @param lookups          lookups run
 * @param successRate      lookups whose result named the target peer (it answered: found and reachable)
 * @param hopsMedian       median depth at which the closest answering peer was learned (1 = a seed)
 * @param hopsP95          95th percentile of the same
 * @param hopsMean         mean of the same
 * @param closestRecall    mean fraction of the k truly closest live peers (by XOR distance) the lookup returned
 * @param queriesMean      requests per lookup, mean
 * @param failuresMean     requests per lookup that failed or timed out (departed peers), mean
 * @param latencyMedianMillis lookup duration, median, virtual ms (connections taken as already open)
 * @param latencyP95Millis lookup duration, 95th percentile, virtual ms
 * @param heapBytesPerNode heap in use per node once routing tables are filled (table, stores, identity)
 * @param meanTableSize    mean routing-table size over live nodes at the end
 * @param left             nodes that left during the run
 * @param joined           nodes that joined (and bootstrapped) during the run
 * @param events           simulation events executed
 * @param failures         simulation events that threw (0 expected)
 * @param wallMillis       real time the run took, ms
 */
public record DhtFigures(int nodes, double churnPerMinute, int lookups, double successRate, long hopsMedian,
                         long hopsP95, double hopsMean, double closestRecall, double queriesMean, double failuresMean,
                         long latencyMedianMillis, long latencyP95Millis, long heapBytesPerNode, double meanTableSize,
                         int left, int joined, long events, long failures, long wallMillis) {
}
