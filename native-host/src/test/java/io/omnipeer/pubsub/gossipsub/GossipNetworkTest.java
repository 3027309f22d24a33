package io.omnipeer.pubsub.gossipsub;

import io.omnipeer.core.PeerId;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.pubsub.PubsubMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 24-node gossipsub network on loopback: a ring plus random chords (every node has at least 7 peers).
 * The mesh settles within D_lo..D_hi everywhere and every subscriber gets every message exactly once.
 */
class GossipNetworkTest {
    private static final Logger log = LoggerFactory.getLogger(GossipNetworkTest.class);
    private static final int NODES = 24;
    private static final int CHORDS_PER_NODE = 5;
    private static final int MESSAGES = 40;

    private final LoopbackNet net = new LoopbackNet();

    @AfterEach
    void stop() throws Exception {
        net.close();
    }

    @Test
    void meshFormsAndEveryMessageReachesEverySubscriberOnce() throws Exception {
        // Flood publish off so dissemination is by mesh forwarding and gossip alone.
        GossipParams params = GossipParams.defaults().withFloodPublish(false);
        List<GossipRouter> routers = new ArrayList<>();
        for (int i = 0; i < NODES; i++) {
            routers.add(net.gossip(params));
        }
        Random random = new Random(42);
        Set<Long> edges = new HashSet<>();
        for (int i = 0; i < NODES; i++) {
            link(i, (i + 1) % NODES, edges);
            for (int k = 0; k < CHORDS_PER_NODE; k++) {
                int j = random.nextInt(NODES);
                if (j != i) {
                    link(i, j, edges);
                }
            }
        }
        Map<Integer, Map<ByteBuffer, AtomicInteger>> received = new ConcurrentHashMap<>();
        for (int i = 0; i < NODES; i++) {
            Map<ByteBuffer, AtomicInteger> mine = new ConcurrentHashMap<>();
            received.put(i, mine);
            routers.get(i).subscribe("net", (PubsubMessage m) -> mine
                    .computeIfAbsent(ByteBuffer.wrap(m.seqno().clone()).putInt(0, m.from().hashCode()), k -> new AtomicInteger())
                    .incrementAndGet());
        }

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> routers.stream()
                .allMatch(r -> r.meshPeers("net").size() >= params.dLo() && r.meshPeers("net").size() <= params.dHi()));
        List<Integer> sizes = routers.stream().map(r -> r.meshPeers("net").size()).toList();
        log.info("mesh sizes after settling: {}", sizes);

        for (int m = 0; m < MESSAGES; m++) {
            routers.get(random.nextInt(NODES)).publish("net", ("message " + m).getBytes());
        }
        // Each node gets every message except its own publishes.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> totalDelivered(received) == expected(routers));
        long duplicates = routers.stream().mapToLong(GossipRouter::duplicateMessages).sum();
        long delivered = totalDelivered(received);
        log.info("{} nodes, {} edges, {} messages: {} deliveries, {} duplicates ({} per delivery)", NODES, edges.size(),
                MESSAGES, delivered, duplicates, String.format("%.2f", (double) duplicates / delivered));
        for (Map<ByteBuffer, AtomicInteger> counts : received.values()) {
            assertThat(counts.values()).allMatch(c -> c.get() == 1);
        }
        // With D=6 a message reaches a node over at most D mesh links; the rest are suppressed duplicates.
        assertThat(duplicates).isLessThan(delivered * params.dHi());
        assertThat(sizes).allMatch(s -> s >= params.dLo() && s <= params.dHi());
    }

    /**
     * 12 gossipsub nodes (ring + chords) and 3 floodsub nodes hanging off two gossip nodes each: floodsub peers get
     * every message of their topic (as floodsub would send it) and their own publishes reach every gossip node.
     */
    @Test
    void floodsubNodesInAGossipNetworkSendAndReceiveEverything() throws Exception {
        int gossipNodes = 12;
        int floodNodes = 3;
        GossipParams params = GossipParams.defaults().withFloodPublish(false);
        List<GossipRouter> routers = new ArrayList<>();
        for (int i = 0; i < gossipNodes; i++) {
            routers.add(net.gossip(params));
        }
        List<io.omnipeer.pubsub.floodsub.FloodsubRouter> floods = new ArrayList<>();
        for (int i = 0; i < floodNodes; i++) {
            io.omnipeer.pubsub.floodsub.FloodsubRouter flood = new io.omnipeer.pubsub.floodsub.FloodsubRouter(net.host());
            flood.start();
            net.routers.add(flood);
            floods.add(flood);
        }
        Random random = new Random(7);
        Set<Long> edges = new HashSet<>();
        for (int i = 0; i < gossipNodes; i++) {
            link(i, (i + 1) % gossipNodes, edges);
            for (int k = 0; k < 3; k++) {
                int j = random.nextInt(gossipNodes);
                if (j != i) {
                    link(i, j, edges);
                }
            }
        }
        for (int f = 0; f < floodNodes; f++) {
            link(gossipNodes + f, f * 4, edges);
            link(gossipNodes + f, f * 4 + 2, edges);
        }
        int total = gossipNodes + floodNodes;
        Map<Integer, Set<String>> received = new ConcurrentHashMap<>();
        for (int i = 0; i < total; i++) {
            Set<String> mine = ConcurrentHashMap.newKeySet();
            received.put(i, mine);
            java.util.function.Consumer<PubsubMessage> sink = m -> mine.add(new String(m.data()));
            if (i < gossipNodes) {
                routers.get(i).subscribe("mixed", sink);
            } else {
                floods.get(i - gossipNodes).subscribe("mixed", sink);
            }
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                routers.stream().allMatch(r -> !r.meshPeers("mixed").isEmpty())
                        && floods.stream().allMatch(f -> f.peersSubscribedTo("mixed").size() == 2));

        Set<String> sent = new HashSet<>();
        for (int m = 0; m < 10; m++) {
            String text = "g" + m;
            routers.get(random.nextInt(gossipNodes)).publish("mixed", text.getBytes());
            sent.add(text);
        }
        for (int f = 0; f < floodNodes; f++) {
            String text = "f" + f;
            floods.get(f).publish("mixed", text.getBytes());
            sent.add(text);
        }
        // Everyone gets everything but its own publishes (no node delivers its own message to itself here).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                received.values().stream().mapToInt(Set::size).sum() >= sent.size() * (total - 1));
        assertThat(received.get(gossipNodes)).contains("g0", "g9", "f1", "f2");
        assertThat(received.get(1)).contains("f0", "f1", "f2");
    }

    private long expected(List<GossipRouter> routers) {
        return (long) MESSAGES * (NODES - 1);
    }

    private static long totalDelivered(Map<Integer, Map<ByteBuffer, AtomicInteger>> received) {
        return received.values().stream().mapToLong(Map::size).sum();
    }

    private void link(int i, int j, Set<Long> edges) throws Exception {
        long key = (long) Math.min(i, j) * NODES + Math.max(i, j);
        if (!edges.add(key)) {
            return;
        }
        DefaultHost a = net.hosts.get(i);
        DefaultHost b = net.hosts.get(j);
        LoopbackNet.connect(a, b);
    }

    @SuppressWarnings("unused")
    private static PeerId id(DefaultHost host) {
        return host.peerId();
    }
}
