package io.omnipeer.e2e.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.discovery.mdns.MdnsService;
import io.omnipeer.node.NodeConfig;
import io.omnipeer.node.OverlayNode;
import io.omnipeer.node.PeerInfo;
import io.omnipeer.node.PubsubSubscription;
import io.omnipeer.pubsub.PubsubMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The assembled {@link OverlayNode} and a js-libp2p node find each other by mDNS alone (both on the
 * loopback interface, standard port {@value MdnsService#MDNS_PORT}), connect, identify, ping, and exchange
 * floodsub messages through the {@code Node} API. Other mDNS peers on lo (parallel runs) do not matter:
 * only the js peer is looked for.
 */
class OverlayNodeInteropTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static JsPeer js;
    static OverlayNode node;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        LoopbackMulticast.ensureEnabled();
        js = JsPeer.start(JsPeer.Options.defaults().withMdns(MdnsService.MDNS_PORT, 1000));
        node = OverlayNode.start(new NodeConfig(dir, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of(),
                true, LoopbackMulticast.INTERFACE, "omnipeer-interop-node/0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close().get(10, TimeUnit.SECONDS);
        if (js != null) js.close();
    }

    @Test
    void mdnsDiscoveryLeadsToAnIdentifiedConnection() throws Exception {
        await().atMost(WAIT).until(() -> node.connectedPeers().stream().anyMatch(p -> p.id().equals(js.peerId())));
        js.awaitEvent("peer:discovery", e -> e.get("peerId").asText().equals(node.peerId().toBase58()), WAIT);
        await().atMost(WAIT).untilAsserted(() -> {
            PeerInfo info = node.connectedPeers().stream().filter(p -> p.id().equals(js.peerId())).findFirst().orElseThrow();
            assertThat(info.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/floodsub/1.0.0");
            assertThat(info.agentVersion()).isEqualTo(js.agentVersion());
        });
        assertThat(node.ping(js.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(js.ping(node.peerId())).isGreaterThanOrEqualTo(0);
    }

    @Test
    void pubsubThroughTheNodeApiBothWays() throws Exception {
        await().atMost(WAIT).until(() -> node.connectedPeers().stream().anyMatch(p -> p.id().equals(js.peerId())));
        String topic = "node-interop";
        List<PubsubMessage> got = new CopyOnWriteArrayList<>();
        int mark = js.eventMark();
        js.subscribe(topic);
        try (PubsubSubscription sub = node.subscribe(topic, got::add)) {
            await().atMost(WAIT).until(() -> js.subscribers(topic).contains(node.peerId().toBase58()));
            byte[] fromJs = "from js".getBytes(StandardCharsets.UTF_8);
            js.publish(topic, fromJs);
            await().atMost(WAIT).until(() -> !got.isEmpty());
            assertThat(got.getFirst().data()).isEqualTo(fromJs);
            assertThat(got.getFirst().from()).isEqualTo(js.peerId());

            byte[] fromUs = "from the node".getBytes(StandardCharsets.UTF_8);
            await().atMost(WAIT).until(() -> node.pubsub().peersSubscribedTo(topic).contains(js.peerId()));
            node.publish(topic, fromUs).get(10, TimeUnit.SECONDS);
            JsonNode m = js.awaitEventAfter(mark, "message", e -> e.get("topic").asText().equals(topic), WAIT);
            assertThat(Base64.getDecoder().decode(m.get("data").asText())).isEqualTo(fromUs);
            assertThat(m.get("from").asText()).isEqualTo(node.peerId().toBase58());
        } finally {
            js.unsubscribe(topic);
        }
    }
}
