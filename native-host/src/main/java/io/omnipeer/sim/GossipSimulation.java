package io.omnipeer.sim;

import io.omnipeer.pubsub.PubsubMessage;
import io.omnipeer.pubsub.gossipsub.GossipRouter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * Runs the production {@link GossipRouter} (mesh, fanout, heartbeat, IHAVE/IWANT, PRUNE backoff and peer exchange,
 * StrictSign signing and verification) on every node of an in-memory network in virtual time, and measures
 * delivery, duplicates, latency and traffic. Deterministic for a given {@link GossipSimConfig#seed()}.
 * Single-threaded: {@link #run()} does all the work on the calling thread.
 */
public final class GossipSimulation {
    /** The topic every node subscribes to. */
    public static final String TOPIC = "sim";
    /**
     * A node counts as a receiver of a message only if it was up this long before the message was published (time to
     * dial, open streams, announce its subscription and be grafted at a heartbeat), ms.
     */
    public static final long JOIN_GRACE_MILLIS = 5_000;
    /**
     * Nodes created first with real Ed25519 keys; messages are published by random live ones among them. The other
     * nodes get peer IDs of the same form without keys (they never sign), which keeps 100,000-node runs fast.
     */
    public static final int PUBLISHERS = 64;
    /** Largest delivery latency counted exactly, ms. */
    private static final int MAX_LATENCY_MILLIS = 120_000;

    private record Published(int publisher, long time, BitSet receivers) {
    }

    private final GossipSimConfig config;
    private final EventScheduler clock = new EventScheduler();
    private final Random random;
    private final Overlay overlay;
    private final TrafficCounter traffic = new TrafficCounter();
    private final VerificationCache verification = new VerificationCache();
    private final List<SimNode> publishers = new ArrayList<>();
    private final List<Published> published = new ArrayList<>();
    private final LatencyHistogram latency = new LatencyHistogram(MAX_LATENCY_MILLIS);
    private long deliveredByGone;
    private long duplicatesByGone;

    public GossipSimulation(GossipSimConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
        this.overlay = new Overlay(clock, new LinkLatency(config.seed(), config.minLatencyMillis(),
                config.maxLatencyMillis()), random);
        overlay.addLinkListener(new Overlay.LinkListener() {
            @Override
            public void connected(SimNode node, SimNode remote) {
                if (node.gossipNetwork != null) {
                    node.gossipNetwork.connected(remote.id());
                }
            }

            @Override
            public void disconnected(SimNode node, SimNode remote) {
                if (node.gossipNetwork != null) {
                    node.gossipNetwork.disconnected(remote.id());
                }
            }
        });
    }

    /** Builds the network, warms it up, publishes, drains, and returns the figures. */
    public GossipFigures run() {
        long wallStart = System.nanoTime();
        for (int i = 0; i < config.nodes(); i++) {
            SimNode node = startNode(i < PUBLISHERS);
            if (node.key() != null) {
                publishers.add(node);
            }
        }
        for (SimNode node : overlay.aliveNodes()) {
            dialRandomPeers(node);
        }
        long end = config.warmupMillis() + (config.messages() - 1) * config.publishIntervalMillis() + config.drainMillis();
        Churn churn = new Churn(overlay, config.churnPerMinute(), this::stopNode, () -> dialRandomPeers(startNode(false)));
        churn.runUntil(end);
        clock.runUntil(config.warmupMillis());
        long heapWithNetwork = HeapProbe.usedAfterGc();

        for (int m = 0; m < config.messages(); m++) {
            int number = m;
            clock.schedule(m * config.publishIntervalMillis(), () -> publish(number));
        }
        clock.runUntil(end);
        GossipFigures figures = figures(0, churn, (System.nanoTime() - wallStart) / 1_000_000);
        clock.clear();
        overlay.clear();
        publishers.clear();
        published.clear();
        long heapPerNode = (heapWithNetwork - HeapProbe.usedAfterGc()) / config.nodes();
        return new GossipFigures(figures.nodes(), figures.churnPerMinute(), figures.messages(), figures.deliveryRate(),
                figures.duplicateRatio(), figures.latencyMedianMillis(), figures.latencyP95Millis(),
                figures.rpcBytesPerMessage(), heapPerNode, figures.meanMeshDegree(), figures.left(), figures.joined(),
                figures.events(), figures.failures(), figures.wallMillis());
    }

    private SimNode startNode(boolean withKey) {
        SimNode node = overlay.addNode(withKey);
        node.gossipNetwork = new SimGossipNetwork(overlay, node, traffic);
        node.router = new GossipRouter(node.gossipNetwork, config.params(), clock.gossipTimer(random),
                new Random(random.nextLong()), verification);
        node.router.start();
        node.router.subscribe(TOPIC, message -> onDelivery(node, message));
        return node;
    }

    private void dialRandomPeers(SimNode node) {
        for (int i = 0; i < config.dialsPerNode() && overlay.aliveCount() > 1; i++) {
            SimNode target = overlay.randomAlive();
            if (target != node) {
                overlay.connect(node, target);
            }
        }
    }

    private void stopNode(SimNode node) {
        deliveredByGone += node.router.deliveredMessages();
        duplicatesByGone += node.router.duplicateMessages();
        node.router.close();
        node.router = null;
        node.gossipNetwork = null;
    }

    private void publish(int number) {
        List<SimNode> up = publishers.stream().filter(SimNode::isAlive).toList();
        if (up.isEmpty()) {
            throw new IllegalStateException("every publisher left; raise PUBLISHERS or lower the churn");
        }
        SimNode publisher = up.get(random.nextInt(up.size()));
        byte[] payload = new byte[config.payloadBytes()];
        random.nextBytes(payload);
        ByteBuffer.wrap(payload).putInt(number);
        published.add(new Published(publisher.index(), clock.nowMillis(), new BitSet()));
        publisher.router.publish(TOPIC, payload);
    }

    private void onDelivery(SimNode node, PubsubMessage message) {
        int number = ByteBuffer.wrap(message.data()).getInt();
        Published p = published.get(number);
        p.receivers().set(node.index());
        latency.add(clock.nowMillis() - p.time());
    }

    private GossipFigures figures(long heapPerNode, Churn churn, long wallMillis) {
        long expected = 0;
        long delivered = 0;
        for (Published p : published) {
            for (SimNode n : overlay.nodes()) {
                if (n.index() != p.publisher() && n.isAlive() && n.joinedAt() <= p.time() - JOIN_GRACE_MILLIS) {
                    expected++;
                    if (p.receivers().get(n.index())) {
                        delivered++;
                    }
                }
            }
        }
        long deliveries = deliveredByGone;
        long duplicates = duplicatesByGone;
        double meshSum = 0;
        for (SimNode n : overlay.aliveNodes()) {
            deliveries += n.router.deliveredMessages();
            duplicates += n.router.duplicateMessages();
            meshSum += n.router.meshPeers(TOPIC).size();
        }
        return new GossipFigures(config.nodes(), config.churnPerMinute(), config.messages(),
                expected == 0 ? 0 : (double) delivered / expected,
                deliveries == 0 ? 0 : (double) duplicates / deliveries,
                latency.percentile(0.5), latency.percentile(0.95),
                (double) traffic.bytes / config.messages(), heapPerNode,
                meshSum / overlay.aliveCount(), churn.left(), churn.joined(), clock.executed(), clock.failures(),
                wallMillis);
    }
}
