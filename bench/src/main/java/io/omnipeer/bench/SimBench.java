package io.omnipeer.bench;

import io.omnipeer.sim.GossipFigures;
import io.omnipeer.sim.GossipSimConfig;
import io.omnipeer.sim.GossipSimulation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code sim} section: the in-memory simulator ({@code io.omnipeer.sim}) running the production gossipsub router
 * and Kademlia code in virtual time, at several network sizes, without and with churn. Writes
 * {@code results/sim-gossip.csv} and {@code results/sim-dht.csv}, a row as each run ends (a run that fails or is
 * interrupted keeps the rows before it). Single-threaded, deterministic per seed; the figures are virtual-time
 * protocol figures, not wall-clock ones (wall time and heap per node are reported alongside).
 */
final class SimBench {
    static final String[] GOSSIP_HEADER = {"nodes", "churn_per_min", "messages", "delivery_rate", "duplicate_ratio",
            "latency_median_ms", "latency_p95_ms", "rpc_bytes_per_message", "heap_bytes_per_node", "mean_mesh_degree",
            "left", "joined", "events", "failures", "wall_ms"};

    private final List<Integer> gossipSizes;
    private final List<Integer> dhtSizes;
    private final List<Double> churns;

    /**
     * @param churns the churn rates each size runs with (fraction of nodes replaced per simulated minute; 0 = none)
     */
    SimBench(List<Integer> gossipSizes, List<Integer> dhtSizes, List<Double> churns) {
        this.gossipSizes = gossipSizes;
        this.dhtSizes = dhtSizes;
        this.churns = churns;
    }

    void run(Path results) throws IOException {
        if (!dhtSizes.isEmpty()) {
            new SimDhtBench(dhtSizes, churns).run(results);
        }
        if (gossipSizes.isEmpty()) {
            return;
        }
        Csv gossip = new Csv(GOSSIP_HEADER);
        for (int n : gossipSizes) {
            for (double churn : churns) {
                int messages = n >= 50_000 ? 10 : 20;
                BenchMain.log("sim gossip: %d nodes, churn %.3f/min, %d messages", n, churn, messages);
                GossipFigures f = new GossipSimulation(GossipSimConfig.of(n, messages, churn, 1)).run();
                BenchMain.log("  %s", f);
                gossip.add(f.nodes(), f.churnPerMinute(), f.messages(), f.deliveryRate(), f.duplicateRatio(),
                        f.latencyMedianMillis(), f.latencyP95Millis(), f.rpcBytesPerMessage(), f.heapBytesPerNode(),
                        f.meanMeshDegree(), f.left(), f.joined(), f.events(), f.failures(), f.wallMillis());
                gossip.write(results.resolve("sim-gossip.csv"));
            }
        }
    }
}
