package io.omnipeer.node;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.pubsub.PubsubMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Whole nodes (identity, SQLite, host, identify, ping, floodsub, bootstrap) over loopback. */
class OverlayNodeTest {
    @TempDir
    Path dir;
    private final List<OverlayNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (OverlayNode node : nodes) {
            node.close().get(10, TimeUnit.SECONDS);
        }
    }

    private OverlayNode start(String name, List<String> bootstrap) throws Exception {
        NodeConfig config = new NodeConfig(dir.resolve(name), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                bootstrap, false, null, null);
        OverlayNode node = OverlayNode.start(config);
        nodes.add(node);
        return node;
    }

    private static String dialable(OverlayNode node) {
        return node.listenAddresses().getFirst().withPeerId(node.peerId()).toString();
    }

    @Test
    void bootstrapIdentifyPingAndPubsubAcrossThreeNodes() throws Exception {
        OverlayNode seed = start("seed", List.of());
        OverlayNode b = start("b", List.of(dialable(seed)));
        OverlayNode c = start("c", List.of(dialable(seed)));
        await().atMost(Duration.ofSeconds(20)).until(() -> seed.connectedPeers().size() == 2);
        await().atMost(Duration.ofSeconds(20)).until(() -> b.connectedPeers().stream()
                .anyMatch(p -> p.id().equals(seed.peerId()) && p.agentVersion().startsWith("omnipeer/")
                        && p.protocols().contains("/floodsub/1.0.0")));

        Duration rtt = b.ping(seed.peerId()).get(10, TimeUnit.SECONDS);
        assertThat(rtt).isPositive();

        List<PubsubMessage> atB = new CopyOnWriteArrayList<>();
        List<PubsubMessage> atC = new CopyOnWriteArrayList<>();
        b.subscribe("demo", atB::add);
        c.subscribe("demo", atC::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> seed.pubsub().peersSubscribedTo("demo").size() == 2);
        seed.publish("demo", "hi".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> atB.size() == 1 && atC.size() == 1);
        assertThat(atC.getFirst().from()).isEqualTo(seed.peerId());
    }

    @Test
    void aNodesOwnSubscribersReceiveItsPublishesOnceAndPeersToo() throws Exception {
        OverlayNode seed = start("seed", List.of());
        OverlayNode b = start("b", List.of(dialable(seed)));
        List<PubsubMessage> pageOne = new CopyOnWriteArrayList<>();
        List<PubsubMessage> pageTwo = new CopyOnWriteArrayList<>();
        List<PubsubMessage> atSeed = new CopyOnWriteArrayList<>();
        b.subscribe("room", pageOne::add);
        b.subscribe("room", pageTwo::add);
        seed.subscribe("room", atSeed::add);
        await().atMost(Duration.ofSeconds(30)).until(() -> b.pubsub().peersSubscribedTo("room").size() == 1);

        b.publish("room", "from b".getBytes(StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> atSeed.size() == 1);
        assertThat(pageOne).singleElement().satisfies(m -> {
            assertThat(m.from()).isEqualTo(b.peerId());
            assertThat(new String(m.data(), StandardCharsets.UTF_8)).isEqualTo("from b");
        });
        assertThat(pageTwo).hasSize(1);
        assertThat(atSeed.getFirst().seqno()).isEqualTo(pageOne.getFirst().seqno());
    }

    @Test
    void restartKeepsIdentityAndReconnectsToRememberedPeers() throws Exception {
        OverlayNode seed = start("seed", List.of());
        OverlayNode b = start("b", List.of());
        b.connect(Multiaddr.parse(dialable(seed))).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.connectedPeers().stream()
                .anyMatch(p -> p.id().equals(seed.peerId()) && !p.addrs().isEmpty()));
        PeerId before = b.peerId();
        b.close().get(10, TimeUnit.SECONDS);
        nodes.remove(b);
        await().atMost(Duration.ofSeconds(10)).until(() -> seed.connectedPeers().isEmpty());

        OverlayNode again = start("b", List.of());
        assertThat(again.peerId()).isEqualTo(before);
        await().atMost(Duration.ofSeconds(20)).until(() -> again.connectedPeers().stream()
                .anyMatch(p -> p.id().equals(seed.peerId())));
    }
}
