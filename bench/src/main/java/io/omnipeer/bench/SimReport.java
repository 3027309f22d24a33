package io.omnipeer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The simulation part of {@code bench/README.md}: tables from {@code results/sim-dht.csv} and
 * {@code results/sim-gossip.csv} and the plots {@code sim-hops.png}, {@code sim-success.png},
 * {@code sim-gossip-latency.png}, {@code sim-memory.png}. Reads only files.
 */
final class SimReport {
    private final Path results;

    SimReport(Path results) {
        this.results = results;
    }

    void append(StringBuilder md) throws IOException {
        md.append("## Simulation: DHT lookups and gossipsub at 1k–100k nodes (`./bench/run.sh sim`)\n\n");
        List<List<String>> dht = rows("sim-dht.csv");
        List<List<String>> gossip = rows("sim-gossip.csv");
        if (dht == null && gossip == null) {
            md.append("Not run.\n\n");
            return;
        }
        md.append("The production code (`dht.Kademlia` with its `IterativeLookup`, `pubsub.gossipsub.GossipRouter`) runs on\n")
                .append("every node of an in-memory network (`io.omnipeer.sim`): one thread, a discrete-event virtual clock,\n")
                .append("per-link one-way latency 10–100 ms, seed 1. Times are virtual. Churn = fraction of nodes replaced per\n")
                .append("simulated minute (a random node vanishes without notice, a fresh one joins and bootstraps).\n")
                .append("Heap per node = (heap after GC once the network is built − heap after GC once it is dropped) / nodes.\n\n");
        if (dht != null) {
            dhtTable(md, dht);
        }
        if (gossip != null) {
            gossipTable(md, gossip);
        }
        plots(md, dht, gossip);
    }

    private void dhtTable(StringBuilder md, List<List<String>> rows) {
        md.append("### DHT: FIND_NODE for a random live peer from a random live node (k=20, alpha=3, 1 path)\n\n")
                .append("Tables start converged (each bucket: up to k random peers of its keyspace range). Success = the\n")
                .append("target answered and is the closest result; recall = share of the k truly closest live peers returned;\n")
                .append("hops = depth at which the closest answering peer was learned (1 = in our own table).\n\n")
                .append("| nodes | churn/min | lookups | success | hops median | hops p95 | hops mean | log2 N | recall | ")
                .append("requests/lookup | failed/lookup | duration median ms | p95 ms | table size | heap B/node | wall s |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (List<String> r : rows) {
            double n = d(r, 0);
            md.append("| ").append(r.get(0)).append(" | ").append(pct(d(r, 1))).append(" | ").append(r.get(2))
                    .append(" | ").append(pct(d(r, 3))).append(" | ").append(r.get(4)).append(" | ").append(r.get(5))
                    .append(" | ").append(f(d(r, 6), 2)).append(" | ").append(f(Math.log(n) / Math.log(2), 1))
                    .append(" | ").append(pct(d(r, 7))).append(" | ").append(f(d(r, 8), 1)).append(" | ")
                    .append(f(d(r, 9), 2)).append(" | ").append(r.get(10)).append(" | ").append(r.get(11)).append(" | ")
                    .append(f(d(r, 13), 0)).append(" | ").append(r.get(12)).append(" | ").append(f(d(r, 18) / 1000, 0))
                    .append(" |\n");
        }
        md.append('\n');
    }

    private void gossipTable(StringBuilder md, List<List<String>> rows) {
        md.append("### Gossipsub: one topic, every node subscribed, about 16 connections per node, D=6, flood publishing\n\n")
                .append("Delivery = deliveries / (messages × nodes up from 5 s before the publish to the end, publisher excluded);\n")
                .append("duplicates = copies received after the first, per delivered message; bytes = all pubsub RPC bytes sent\n")
                .append("by all nodes per published message (256-byte payloads, control traffic included).\n\n")
                .append("| nodes | churn/min | messages | delivery | duplicates/delivery | latency median ms | p95 ms | ")
                .append("RPC MB/message | mesh degree | heap B/node | wall s |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (List<String> r : rows) {
            md.append("| ").append(r.get(0)).append(" | ").append(pct(d(r, 1))).append(" | ").append(r.get(2))
                    .append(" | ").append(pct(d(r, 3))).append(" | ").append(f(d(r, 4), 2)).append(" | ")
                    .append(r.get(5)).append(" | ").append(r.get(6)).append(" | ").append(f(d(r, 7) / 1e6, 2))
                    .append(" | ").append(f(d(r, 9), 2)).append(" | ").append(r.get(8)).append(" | ")
                    .append(f(d(r, 14) / 1000, 0)).append(" |\n");
        }
        md.append('\n');
    }

    private void plots(StringBuilder md, List<List<String>> dht, List<List<String>> gossip) throws IOException {
        if (dht != null && !dht.isEmpty()) {
            List<String> cats = new ArrayList<>();
            Map<String, List<Double>> hops = new LinkedHashMap<>();
            hops.put("median", new ArrayList<>());
            hops.put("p95", new ArrayList<>());
            hops.put("log2 N", new ArrayList<>());
            for (List<String> r : dht) {
                cats.add(label(r));
                hops.get("median").add(d(r, 4));
                hops.get("p95").add(d(r, 5));
                hops.get("log2 N").add(Math.log(d(r, 0)) / Math.log(2));
            }
            Plots.bars(results.resolve("sim-hops.png"), "DHT lookup hops (simulated)", "hops", cats, hops);
            md.append("![DHT hops](results/sim-hops.png)\n");
        }
        List<String> cats = new ArrayList<>();
        Map<String, List<Double>> success = new LinkedHashMap<>();
        Map<String, List<Double>> memory = new LinkedHashMap<>();
        success.put("DHT lookup success %", new ArrayList<>());
        success.put("DHT closest-k recall %", new ArrayList<>());
        success.put("gossip delivery %", new ArrayList<>());
        memory.put("DHT node", new ArrayList<>());
        memory.put("gossip node", new ArrayList<>());
        for (String key : categories(dht, gossip)) {
            cats.add(key);
            List<String> d = find(dht, key);
            List<String> g = find(gossip, key);
            success.get("DHT lookup success %").add(d == null ? Double.NaN : 100 * d(d, 3));
            success.get("DHT closest-k recall %").add(d == null ? Double.NaN : 100 * d(d, 7));
            success.get("gossip delivery %").add(g == null ? Double.NaN : 100 * d(g, 3));
            memory.get("DHT node").add(d == null ? Double.NaN : d(d, 12) / 1024);
            memory.get("gossip node").add(g == null ? Double.NaN : d(g, 8) / 1024);
        }
        Plots.bars(results.resolve("sim-success.png"), "lookup success and gossip delivery (simulated, %)", "%", cats, success);
        Plots.bars(results.resolve("sim-memory.png"), "heap per simulated node (KiB)", "KiB", cats, memory);
        md.append("![success](results/sim-success.png)\n");
        if (gossip != null && !gossip.isEmpty()) {
            List<String> gc = new ArrayList<>();
            Map<String, List<Double>> lat = new LinkedHashMap<>();
            lat.put("median", new ArrayList<>());
            lat.put("p95", new ArrayList<>());
            for (List<String> r : gossip) {
                gc.add(label(r));
                lat.get("median").add(d(r, 5));
                lat.get("p95").add(d(r, 6));
            }
            Plots.bars(results.resolve("sim-gossip-latency.png"), "gossipsub publish-to-delivery latency (simulated ms)",
                    "ms", gc, lat);
            md.append("![gossip latency](results/sim-gossip-latency.png)\n");
        }
        md.append("![memory](results/sim-memory.png)\n\n");
    }

    private static List<String> categories(List<List<String>> a, List<List<String>> b) {
        List<String> out = new ArrayList<>();
        for (List<List<String>> rows : java.util.Arrays.asList(a, b)) {
            if (rows != null) {
                rows.forEach(r -> {
                    if (!out.contains(label(r))) {
                        out.add(label(r));
                    }
                });
            }
        }
        return out;
    }

    private static List<String> find(List<List<String>> rows, String label) {
        if (rows == null) {
            return null;
        }
        return rows.stream().filter(r -> label(r).equals(label)).findFirst().orElse(null);
    }

    private static String label(List<String> r) {
        double churn = Double.parseDouble(r.get(1));
        return String.format(Locale.ROOT, "%,d nodes %s", Integer.parseInt(r.get(0)),
                churn == 0 ? "no churn" : pct(churn) + "/min churn");
    }

    private List<List<String>> rows(String csv) throws IOException {
        Path f = results.resolve(csv);
        if (!Files.exists(f)) {
            return null;
        }
        List<List<String>> all = Csv.read(f);
        return all.subList(1, all.size());
    }

    private static double d(List<String> r, int i) {
        return Double.parseDouble(r.get(i));
    }

    private static String f(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
