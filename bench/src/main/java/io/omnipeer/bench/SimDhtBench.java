package io.omnipeer.bench;

import io.omnipeer.sim.DhtFigures;
import io.omnipeer.sim.DhtSimConfig;
import io.omnipeer.sim.DhtSimulation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The DHT half of the {@code sim} section: writes {@code results/sim-dht.csv}, a row per run as it ends. */
final class SimDhtBench {
    static final String[] HEADER = {"nodes", "churn_per_min", "lookups", "success_rate", "hops_median", "hops_p95",
            "hops_mean", "closest_recall", "requests_mean", "failed_mean", "duration_median_ms", "duration_p95_ms",
            "heap_bytes_per_node", "mean_table_size", "left", "joined", "events", "failures", "wall_ms"};

    private final List<Integer> sizes;
    private final List<Double> churns;

    SimDhtBench(List<Integer> sizes, List<Double> churns) {
        this.sizes = sizes;
        this.churns = churns;
    }

    void run(Path results) throws IOException {
        Csv csv = new Csv(HEADER);
        for (int n : sizes) {
            for (double churn : churns) {
                int lookups = n >= 50_000 ? 1_000 : 2_000;
                BenchMain.log("sim dht: %d nodes, churn %.3f/min, %d lookups", n, churn, lookups);
                DhtFigures f = new DhtSimulation(DhtSimConfig.of(n, lookups, churn, 1)).run();
                BenchMain.log("  %s", f);
                csv.add(f.nodes(), f.churnPerMinute(), f.lookups(), f.successRate(), f.hopsMedian(), f.hopsP95(),
                        f.hopsMean(), f.closestRecall(), f.queriesMean(), f.failuresMean(), f.latencyMedianMillis(),
                        f.latencyP95Millis(), f.heapBytesPerNode(), f.meanTableSize(), f.left(), f.joined(), f.events(),
                        f.failures(), f.wallMillis());
                csv.write(results.resolve("sim-dht.csv"));
            }
        }
    }
}
