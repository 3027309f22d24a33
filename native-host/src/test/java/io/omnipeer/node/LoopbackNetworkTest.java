package io.omnipeer.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnipeer.connmgr.ConnectionLimits;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.dht.DhtConfig;
import io.omnipeer.dht.PeerLookup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 3, "a loopback network of at least 100 real nodes": 100 {@link OverlayNode}s in this JVM, each with its own
 * identity, SQLite data dir and TCP listener on 127.0.0.1, bootstrap from one seed only (no mDNS). Then: every node
 * finds every other by a Kademlia lookup (9,900 lookups), every message published reaches every subscriber over
 * gossipsub, and connection counts stay within the watermarks. The figures (lookup hops, success, delivery,
 * duplicates, connections, memory per node) go to {@code bench/results/network-100.csv}; nothing here is timed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoopbackNetworkTest {
    private static final Logger log = LoggerFactory.getLogger(LoopbackNetworkTest.class);
    static final int NODES = 100;
    static final String TOPIC = "loopback-100";
    static final int PUBLISHERS = 10;
    /** Lookups in flight at once across the network (bounded load on 2 shared cores). */
    static final int CONCURRENT_LOOKUPS = 16;
    static final ConnectionLimits WATERMARKS = new ConnectionLimits(12, 24, Duration.ofSeconds(5));
    static final Duration SETTLE = Duration.ofMinutes(3);

    @TempDir
    static Path dir;
    private final List<OverlayNode> nodes = new ArrayList<>();
    private final Map<PeerId, Set<String>> received = new ConcurrentHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private long heapBefore;

    @BeforeAll
    void startTheNetwork() throws Exception {
        heapBefore = usedHeapAfterGc();
        long t0 = System.nanoTime();
        DhtConfig dht = DhtConfig.defaults().withLookup(DhtConfig.defaults().lookup().withRequestTimeout(Duration.ofSeconds(3)));
        OverlayNode seed = start("seed", List.of(), dht);
        String seedAddr = seed.listenAddresses().getFirst().withPeerId(seed.peerId()).toString();
        for (int i = 1; i < NODES; i++) {
            start("n" + i, List.of(seedAddr), dht);
        }
        figures.put("nodes", NODES);
        figures.put("start_s", seconds(t0));
        // Every node's routing table holds more than one peer: it learned peers beyond the seed by lookups.
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1))
                .until(() -> nodes.stream().allMatch(n -> n.dht().routingTable().size() >= 8));
        figures.put("bootstrap_s", seconds(t0));
    }

    private OverlayNode start(String name, List<String> bootstrap, DhtConfig dht) throws IOException {
        NodeConfig config = new NodeConfig(dir.resolve(name), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                bootstrap, false, null, null, dht, WATERMARKS);
        OverlayNode node = OverlayNode.start(config);
        nodes.add(node);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        received.put(node.peerId(), seen);
        node.subscribe(TOPIC, m -> seen.add(new String(m.data(), StandardCharsets.UTF_8)));
        return node;
    }

    @AfterAll
    void stopTheNetwork() throws Exception {
        long usedWithNetwork = usedHeapAfterGc();
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (OverlayNode node : nodes) {
            closing.add(node.close());
        }
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        nodes.clear();
        long usedAfter = usedHeapAfterGc();
        figures.put("heap_per_node_kib", (usedWithNetwork - Math.min(usedAfter, heapBefore)) / NODES / 1024);
        writeFigures();
    }

    @Test
    @Order(1)
    void everyNodeFindsEveryOtherByLookup() throws Exception {
        long t0 = System.nanoTime();
        Semaphore inFlight = new Semaphore(CONCURRENT_LOOKUPS);
        List<CompletableFuture<PeerLookup>> lookups = new ArrayList<>();
        List<String> missed = Collections.synchronizedList(new ArrayList<>());
        for (OverlayNode from : nodes) {
            for (OverlayNode target : nodes) {
                if (from == target) {
                    continue;
                }
                inFlight.acquire();
                CompletableFuture<PeerLookup> lookup = from.dht().lookupPeer(target.peerId())
                        .orTimeout(60, TimeUnit.SECONDS)
                        .whenComplete((r, e) -> inFlight.release());
                lookup.whenComplete((r, e) -> {
                    if (e != null || r.peer().isEmpty()) {
                        missed.add(from.peerId().toBase58().substring(46) + "→" + target.peerId().toBase58().substring(46)
                                + (e != null ? " " + e : ""));
                    }
                });
                lookups.add(lookup);
            }
        }
        CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).handle((v, e) -> null).get(10, TimeUnit.MINUTES);
        List<Integer> hops = new ArrayList<>();
        List<Integer> queried = new ArrayList<>();
        int found = 0;
        for (CompletableFuture<PeerLookup> l : lookups) {
            PeerLookup r = l.isCompletedExceptionally() ? null : l.join();
            if (r != null && r.peer().isPresent()) {
                found++;
                hops.add(r.figures().hops());
                queried.add(r.figures().queried());
            }
        }
        Collections.sort(hops);
        Collections.sort(queried);
        figures.put("lookups", lookups.size());
        figures.put("lookups_found", found);
        figures.put("lookup_success_pct", 100.0 * found / lookups.size());
        figures.put("lookup_hops_median", hops.isEmpty() ? -1 : hops.get(hops.size() / 2));
        figures.put("lookup_hops_p95", hops.isEmpty() ? -1 : hops.get(hops.size() * 95 / 100));
        figures.put("lookup_hops_max", hops.isEmpty() ? -1 : hops.getLast());
        figures.put("lookup_queried_median", queried.isEmpty() ? -1 : queried.get(queried.size() / 2));
        figures.put("lookups_s", seconds(t0));
        log.info("lookups: {} of {} found; missed (first 10): {}", found, lookups.size(), missed.stream().limit(10).toList());
        assertThat(missed).as("lookups that did not find their target").isEmpty();
        assertThat(found).isEqualTo(NODES * (NODES - 1));
    }

    @Test
    @Order(2)
    void everyPublishedMessageReachesEverySubscriber() throws Exception {
        long t0 = System.nanoTime();
        // Every node is subscribed and in a mesh: wait until each has at least one mesh peer.
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1))
                .until(() -> nodes.stream().allMatch(n -> !n.pubsub().meshPeers(TOPIC).isEmpty()));
        long duplicatesBefore = nodes.stream().mapToLong(n -> n.pubsub().duplicateMessages()).sum();
        long deliveredBefore = nodes.stream().mapToLong(n -> n.pubsub().deliveredMessages()).sum();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < PUBLISHERS; i++) {
            String text = "message " + i;
            nodes.get(i * (NODES / PUBLISHERS)).publish(TOPIC, text.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
            sent.add(text);
        }
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> received.values().stream().allMatch(s -> s.containsAll(sent)));
        long deliveries = nodes.stream().mapToLong(n -> n.pubsub().deliveredMessages()).sum() - deliveredBefore;
        long duplicates = nodes.stream().mapToLong(n -> n.pubsub().duplicateMessages()).sum() - duplicatesBefore;
        List<Integer> degrees = nodes.stream().map(n -> n.pubsub().meshPeers(TOPIC).size()).sorted().toList();
        AtomicInteger complete = new AtomicInteger();
        received.values().forEach(s -> complete.addAndGet(s.containsAll(sent) ? 1 : 0));
        figures.put("messages", PUBLISHERS);
        figures.put("delivery_pct", 100.0 * complete.get() / NODES);
        figures.put("deliveries_remote", deliveries);
        figures.put("duplicates_per_delivery", deliveries == 0 ? 0 : (double) duplicates / deliveries);
        figures.put("mesh_degree_min", degrees.getFirst());
        figures.put("mesh_degree_median", degrees.get(degrees.size() / 2));
        figures.put("mesh_degree_max", degrees.getLast());
        figures.put("pubsub_s", seconds(t0));
        assertThat(complete.get()).isEqualTo(NODES);
    }

    @Test
    @Order(3)
    void connectionCountsStayWithinTheWatermarks() {
        // Trims run once a second and spare connections younger than the grace period: after both, every node is
        // at or under the high watermark, and still connected to the network.
        try {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> nodes.stream().allMatch(n -> n.host().connections().size() <= WATERMARKS.highWater()));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            for (OverlayNode n : nodes) {
                if (n.host().connections().size() > WATERMARKS.highWater()) {
                    long distinct = n.host().connections().stream().map(c -> c.remotePeer()).distinct().count();
                    long mesh = n.pubsub().meshPeers(TOPIC).size();
                    log.warn("{}: {} connections to {} peers, mesh {}, table {}, initiator {}", n.peerId(),
                            n.host().connections().size(), distinct, mesh, n.dht().routingTable().size(),
                            n.host().connections().stream().filter(c -> c.isInitiator()).count());
                }
            }
        }
        List<Integer> counts = nodes.stream().map(n -> n.host().connections().size()).sorted().toList();
        figures.put("connections_min", counts.getFirst());
        figures.put("connections_median", counts.get(counts.size() / 2));
        figures.put("connections_max", counts.getLast());
        figures.put("watermarks", WATERMARKS.lowWater() + "/" + WATERMARKS.highWater());
        assertThat(counts.getFirst()).as("no node is cut off").isPositive();
        assertThat(counts.getLast()).isLessThanOrEqualTo(WATERMARKS.highWater());
    }

    private void writeFigures() {
        StringBuilder csv = new StringBuilder("metric,value\n");
        figures.forEach((k, v) -> csv.append(k).append(',').append(v instanceof Double d ? String.format("%.2f", d) : v)
                .append('\n'));
        log.info("loopback network figures:\n{}", csv);
        Path results = Path.of("..", "bench", "results");
        try {
            if (Files.isDirectory(results)) {
                Files.writeString(results.resolve("network-100.csv"), csv);
            }
        } catch (IOException e) {
            log.warn("could not write {}: {}", results.resolve("network-100.csv"), e.toString());
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
