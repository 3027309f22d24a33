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
 * Our {@link GossipRouter} against js-libp2p's @libp2p/gossipsub 17 over {@code /meshsub/1.1.0}: both sides put
 * each other in their mesh (GRAFT accepted), then messages flow both ways. Our side has flood publishing off,
 * so our message reaches js through the mesh, not by flooding.
 */
class GossipsubInteropTest {

    static final Duration WAIT = Duration.ofSeconds(20);
    static JsPeer js;
    static DefaultHost host;
    static GossipRouter gossip;

    @BeforeAll
    static void start() throws Exception {
        js = JsPeer.start(JsPeer.Options.defaults().withGossipsub());
        host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-interop-test/0.1");
        new IdentifyService(host);
        gossip = new GossipRouter(host, GossipParams.defaults().withFloodPublish(false));
        gossip.start();
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        host.dial(js.addrs().getFirst()).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (gossip != null) gossip.close();
        if (host != null) host.close().get(10, TimeUnit.SECONDS);
        if (js != null) js.close();
    }

    @Test
    void meshFormsAndMessagesFlowBothWays() {
        String topic = "gossip-interop";
        List<PubsubMessage> got = new CopyOnWriteArrayList<>();
        int mark = js.eventMark();
        js.subscribe(topic);
        try (Subscription ignored = gossip.subscribe(topic, got::add)) {
            await().atMost(WAIT).until(() -> gossip.meshPeers(topic).contains(js.peerId())
                    && js.meshPeers(topic).contains(host.peerId().toBase58()));
            assertThat(gossip.protocolOf(js.peerId())).isEqualTo(GossipRouter.MESHSUB_V11);

            byte[] toJs = "hello js, via the mesh".getBytes(StandardCharsets.UTF_8);
            gossip.publish(topic, toJs).join();
            JsonNode m = js.awaitEventAfter(mark, "message", e -> e.get("topic").asText().equals(topic)
                    && e.get("from").asText().equals(host.peerId().toBase58()), WAIT);
            assertThat(Base64.getDecoder().decode(m.get("data").asText())).isEqualTo(toJs);

            byte[] toUs = "hello omnipeer from js gossipsub".getBytes(StandardCharsets.UTF_8);
            assertThat(js.publish(topic, toUs)).contains(host.peerId().toBase58());
            await().atMost(WAIT).until(() -> !got.isEmpty());
            assertThat(got.getFirst().from()).isEqualTo(js.peerId());
            assertThat(got.getFirst().data()).isEqualTo(toUs);
            assertThat(got.getFirst().seqno()).hasSize(8);
            // Still meshed after the exchange: js did not prune us for anything we sent.
            assertThat(js.meshPeers(topic)).contains(host.peerId().toBase58());
        } finally {
            js.unsubscribe(topic);
        }
    }

    /** 200 KiB messages over the mesh both ways (several Noise and yamux frames). */
    @Test
    void largeMessagesBothWays() {
        String topic = "gossip-large";
        byte[] big = new byte[200 * 1024];
        new java.security.SecureRandom().nextBytes(big);
        List<PubsubMessage> got = new CopyOnWriteArrayList<>();
        int mark = js.eventMark();
        js.subscribe(topic);
        try (Subscription ignored = gossip.subscribe(topic, got::add)) {
            await().atMost(WAIT).until(() -> gossip.meshPeers(topic).contains(js.peerId())
                    && js.meshPeers(topic).contains(host.peerId().toBase58()));
            js.publish(topic, big);
            await().atMost(WAIT).until(() -> !got.isEmpty());
            assertThat(got.getFirst().data()).isEqualTo(big);
            gossip.publish(topic, big).join();
            JsonNode m = js.awaitEventAfter(mark, "message", e -> e.get("topic").asText().equals(topic)
                    && e.get("from").asText().equals(host.peerId().toBase58()), WAIT);
            assertThat(Base64.getDecoder().decode(m.get("data").asText())).isEqualTo(big);
        } finally {
            js.unsubscribe(topic);
        }
    }
}
