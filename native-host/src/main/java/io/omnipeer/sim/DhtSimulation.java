package io.omnipeer.sim;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.dht.DhtPeer;
import io.omnipeer.dht.Kademlia;
import io.omnipeer.dht.Key;
import io.omnipeer.dht.LookupResult;
import io.omnipeer.dht.ValidatorRegistry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;

/**
 * Runs the production Kademlia node ({@link Kademlia}: routing table, server handler, {@code IterativeLookup},
 * bootstrap) on every node of an in-memory network in virtual time, with churn, and measures lookups: success,
 * hops, how many of the truly closest peers they find, requests and failures, duration.
 * Deterministic for a given {@link DhtSimConfig#seed()} except the random-walk targets of joining nodes' bootstrap
 * (drawn by the DHT from {@code ThreadLocalRandom}). Single-threaded: {@link #run()} does all the work.
 */
public final class DhtSimulation {
    /** Largest lookup duration counted exactly, ms. */
    private static final int MAX_LATENCY_MILLIS = 600_000;

    private final DhtSimConfig config;
    private final EventScheduler clock = new EventScheduler();
    private final Random random;
    private final Overlay overlay;
    private final SimDhtTimer timer;
    private final ValidatorRegistry validators;
    private final List<Multiaddr> addresses = new ArrayList<>();
    private final LatencyHistogram hops = new LatencyHistogram(64);
    private final LatencyHistogram durations = new LatencyHistogram(MAX_LATENCY_MILLIS);
    long requests;
    private int lookupsDone;
    private int found;
    private double recallSum;
    private long queriesSum;
    private long failuresSum;

    public DhtSimulation(DhtSimConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
        this.overlay = new Overlay(clock, new LinkLatency(config.seed(), config.minLatencyMillis(),
                config.maxLatencyMillis()), random);
        this.timer = new SimDhtTimer(clock);
        this.validators = ValidatorRegistry.standard(timer);
        overlay.addDepartureListener(node -> node.dht.close());
    }

    Overlay overlay() {
        return overlay;
    }

    static Kademlia dht(SimNode node) {
        return node.dht;
    }

    /** The one synthetic address of a node, /ip4/10.x.y.z/tcp/4001 from its index (created on first use). */
    Multiaddr address(SimNode node) {
        while (addresses.size() <= node.index()) {
            int i = addresses.size();
            addresses.add(Multiaddr.parse("/ip4/10." + ((i >> 16) & 0xff) + "." + ((i >> 8) & 0xff) + "." + (i & 0xff)
                    + "/tcp/4001"));
        }
        return addresses.get(node.index());
    }

    /** Builds the network with converged tables, runs churn and the lookups, and returns the figures. */
    public DhtFigures run() {
        long wallStart = System.nanoTime();
        for (int i = 0; i < config.nodes(); i++) {
            startNode();
        }
        ConvergedTables.fill(overlay.nodes(), config.dht().lookup().k(), random, (node, peer) -> node.dht.addPeer(peer.id()));
        long heapWithNetwork = HeapProbe.usedAfterGc();

        long lastLookup = config.warmupMillis() + (config.lookups() - 1) * config.lookupIntervalMillis();
        long end = lastLookup + config.drainMillis();
        Churn churn = new Churn(overlay, config.churnPerMinute(), node -> { }, this::joinNode);
        churn.runUntil(lastLookup);
        for (int i = 0; i < config.lookups(); i++) {
            clock.schedule(config.warmupMillis() + i * config.lookupIntervalMillis(), this::lookup);
        }
        clock.runUntil(end);
        double tableSum = 0;
        for (SimNode n : overlay.aliveNodes()) {
            tableSum += n.dht.routingTable().size();
        }
        double meanTable = tableSum / overlay.aliveCount();
        int left = churn.left();
        int joined = churn.joined();
        long wall = (System.nanoTime() - wallStart) / 1_000_000;
        clock.clear();
        overlay.clear();
        addresses.clear();
        long heapPerNode = (heapWithNetwork - HeapProbe.usedAfterGc()) / config.nodes();
        int done = Math.max(1, lookupsDone);
        return new DhtFigures(config.nodes(), config.churnPerMinute(), lookupsDone, (double) found / done,
                hops.percentile(0.5), hops.percentile(0.95), hops.mean(), recallSum / done,
                (double) queriesSum / done, (double) failuresSum / done, durations.percentile(0.5),
                durations.percentile(0.95), heapPerNode, meanTable, left, joined, clock.executed(), clock.failures(), wall);
    }

    private SimNode startNode() {
        SimNode node = overlay.addNode(false);
        node.dhtKey = Key.of(node.id());
        SimDhtNetwork network = new SimDhtNetwork(this, node);
        node.dht = new Kademlia(node.id(), config.dht(), network, timer, network, validators, p -> Optional.empty());
        return node;
    }

    /** A churn arrival: a fresh node that knows a few live peers and runs the production bootstrap. */
    private void joinNode() {
        List<SimNode> known = new ArrayList<>();
        for (int i = 0; i < config.bootstrapPeers(); i++) {
            known.add(overlay.randomAlive());
        }
        SimNode node = startNode();
        known.forEach(p -> node.dht.addPeer(p.id()));
        node.dht.start();
    }

    private void lookup() {
        if (overlay.aliveCount() < 2) {
            return;
        }
        SimNode source = overlay.randomAlive();
        SimNode target = overlay.randomAlive();
        while (target == source) {
            target = overlay.randomAlive();
        }
        SimNode wanted = target;
        long started = clock.nowMillis();
        source.dht.findClosest(wanted.id().bytes()).whenComplete((result, error) -> {
            if (error != null) {
                throw new IllegalStateException("lookup failed", error);
            }
            record(source, wanted, result, clock.nowMillis() - started);
        });
    }

    private void record(SimNode source, SimNode target, LookupResult result, long millis) {
        lookupsDone++;
        boolean hit = !result.closest().isEmpty() && result.closest().getFirst().id().equals(target.id());
        if (hit) {
            found++;
        }
        hops.add(result.hops());
        durations.add(millis);
        queriesSum += result.queried();
        failuresSum += result.failed();
        Set<io.omnipeer.core.PeerId> returned = new HashSet<>();
        for (DhtPeer p : result.closest()) {
            returned.add(p.id());
        }
        List<SimNode> truth = trueClosest(target.dhtKey, source, config.dht().lookup().k());
        int matched = 0;
        for (SimNode n : truth) {
            if (returned.contains(n.id())) {
                matched++;
            }
        }
        recallSum += truth.isEmpty() ? 1 : (double) matched / truth.size();
    }

    /** The k live nodes closest to {@code target} by XOR distance, other than {@code exclude}. */
    private List<SimNode> trueClosest(Key target, SimNode exclude, int k) {
        PriorityQueue<SimNode> farthestFirst = new PriorityQueue<>((a, b) -> target.compareDistance(b.dhtKey, a.dhtKey));
        for (SimNode n : overlay.aliveNodes()) {
            if (n == exclude) {
                continue;
            }
            if (farthestFirst.size() < k) {
                farthestFirst.add(n);
            } else if (target.compareDistance(n.dhtKey, farthestFirst.peek().dhtKey) < 0) {
                farthestFirst.poll();
                farthestFirst.add(n);
            }
        }
        return new ArrayList<>(farthestFirst);
    }
}
