package io.omnipeer.e2e.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.protocol.identify.IdentifyService;
import io.omnipeer.pubsub.PubsubMessage;
import io.omnipeer.pubsub.Subscription;
import io.omnipeer.pubsub.gossipsub.GossipParams;
import io.omnipeer.pubsub.gossipsub.GossipRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * js A — us — js B (@libp2p/gossipsub 17), no link between A and B: our router is the only path, so each
 * js message reaches the other js node only because we forward it along our mesh (gossipsub-v1.0.md,
 * "Message Forwarding"), and the js nodes have us in their meshes.
 */
class GossipsubRelayInteropTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String TOPIC = "gossip-relay";
    static JsPeer a;
    static JsPeer b;
    static DefaultHost host;
    static GossipRouter gossip;

    @BeforeAll
    static void start() throws Exception {
        a = JsPeer.start(JsPeer.Options.defaults().withGossipsub());
        b = JsPeer.start(JsPeer.Options.defaults().withGossipsub());
        host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-interop-test/0.1");
        new IdentifyService(host);
        gossip = new GossipRouter(host, GossipParams.defaults().withFloodPublish(false));
        gossip.start();
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        host.dial(a.addrs().getFirst()).get(10, TimeUnit.SECONDS);
        host.dial(b.addrs().getFirst()).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gossip != null) gossip.close();
        if (host != null) host.close().get(10, TimeUnit.SECONDS);
        if (a != null) a.close();
        if (b != null) b.close();
    }

    @Test
    void weForwardBetweenTwoJsNodesAlongTheMesh() {
        List<PubsubMessage> got = new CopyOnWriteArrayList<>();
        int markA = a.eventMark();
        int markB = b.eventMark();
        a.subscribe(TOPIC);
        b.subscribe(TOPIC);
        try (Subscription ignored = gossip.subscribe(TOPIC, got::add)) {
            String us = host.peerId().toBase58();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(gossip.meshPeers(TOPIC)).as("our mesh").contains(a.peerId(), b.peerId());
                assertThat(a.meshPeers(TOPIC)).as("A's mesh").contains(us);
                assertThat(b.meshPeers(TOPIC)).as("B's mesh").contains(us);
            });
            assertThat(a.peers()).doesNotContain(b.peerId().toBase58());

            byte[] fromA = "A to B through omnipeer".getBytes(StandardCharsets.UTF_8);
            assertThat(a.publish(TOPIC, fromA)).containsExactly(us);
            JsonNode atB = b.awaitEventAfter(markB, "message", e -> e.get("from").asText().equals(a.peerId().toBase58()), WAIT);
            assertThat(Base64.getDecoder().decode(atB.get("data").asText())).isEqualTo(fromA);

            byte[] fromB = "B to A through omnipeer".getBytes(StandardCharsets.UTF_8);
            assertThat(b.publish(TOPIC, fromB)).containsExactly(us);
            JsonNode atA = a.awaitEventAfter(markA, "message", e -> e.get("from").asText().equals(b.peerId().toBase58()), WAIT);
            assertThat(Base64.getDecoder().decode(atA.get("data").asText())).isEqualTo(fromB);

            await().atMost(WAIT).until(() -> got.size() == 2);
            assertThat(gossip.duplicateMessages()).isZero();
        }
    }
}
