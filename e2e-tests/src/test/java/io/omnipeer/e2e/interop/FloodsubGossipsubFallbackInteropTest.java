package io.omnipeer.e2e.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.protocol.identify.IdentifyService;
import io.omnipeer.pubsub.PubsubMessage;
import io.omnipeer.pubsub.Subscription;
import io.omnipeer.pubsub.floodsub.FloodsubRouter;
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
 * Our {@link FloodsubRouter} against a js-libp2p node running gossipsub (@libp2p/gossipsub 17), which
 * falls back to {@code /floodsub/1.0.0} for peers that do not speak meshsub: what a floodsub-only node
 * meets in a real network. Same scenarios as {@link FloodsubInteropTest}.
 */
class FloodsubGossipsubFallbackInteropTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static JsPeer js;
    static DefaultHost host;
    static FloodsubRouter floodsub;

    @BeforeAll
    static void start() throws Exception {
        js = JsPeer.start(JsPeer.Options.defaults().withGossipsub());
        host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-interop-test/0.1");
        new IdentifyService(host);
        floodsub = new FloodsubRouter(host);
        floodsub.start();
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        host.dial(js.addrs().getFirst()).get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (floodsub != null) floodsub.close();
        if (host != null) host.close().get(10, TimeUnit.SECONDS);
        if (js != null) js.close();
    }

    @Test
    void jsPublishesWeReceive() {
        String topic = "js-to-us";
        List<PubsubMessage> got = new CopyOnWriteArrayList<>();
        try (Subscription ignored = floodsub.subscribe(topic, got::add)) {
            await().atMost(WAIT).until(() -> js.subscribers(topic).contains(host.peerId().toBase58()));
            byte[] data = "hello from js".getBytes(StandardCharsets.UTF_8);
            assertThat(js.publish(topic, data)).contains(host.peerId().toBase58());
            await().atMost(WAIT).until(() -> !got.isEmpty());
            PubsubMessage m = got.getFirst();
            assertThat(m.topic()).isEqualTo(topic);
            assertThat(m.from()).isEqualTo(js.peerId());
            assertThat(m.data()).isEqualTo(data);
            assertThat(m.seqno()).hasSize(8);
        }
    }

    /** 200 KiB payloads span several Noise frames (at most 65,535 bytes each) and yamux frames. */
    @Test
    void largeMessagesBothWays() throws Exception {
        String topic = "large";
        byte[] big = new byte[200 * 1024];
        new java.security.SecureRandom().nextBytes(big);
        List<PubsubMessage> got = new CopyOnWriteArrayList<>();
        int mark = js.eventMark();
        js.subscribe(topic);
        try (Subscription ignored = floodsub.subscribe(topic, got::add)) {
            await().atMost(WAIT).until(() -> js.subscribers(topic).contains(host.peerId().toBase58())
                    && floodsub.peersSubscribedTo(topic).contains(js.peerId()));
            js.publish(topic, big);
            await().atMost(WAIT).until(() -> !got.isEmpty());
            assertThat(got.getFirst().data()).isEqualTo(big);

            floodsub.publish(topic, big).get(10, TimeUnit.SECONDS);
            JsonNode m = js.awaitEventAfter(mark, "message", e -> e.get("topic").asText().equals(topic)
                    && e.get("from").asText().equals(host.peerId().toBase58()), WAIT);
            assertThat(Base64.getDecoder().decode(m.get("data").asText())).isEqualTo(big);
        } finally {
            js.unsubscribe(topic);
        }
    }

    @Test
    void wePublishJsReceives() throws Exception {
        String topic = "us-to-js";
        int mark = js.eventMark();
        js.subscribe(topic);
        await().atMost(WAIT).until(() -> floodsub.peersSubscribedTo(topic).contains(js.peerId()));
        byte[] data = "hello from omnipeer".getBytes(StandardCharsets.UTF_8);
        floodsub.publish(topic, data).get(10, TimeUnit.SECONDS);
        JsonNode m = js.awaitEventAfter(mark, "message", e -> e.get("topic").asText().equals(topic), WAIT);
        assertThat(Base64.getDecoder().decode(m.get("data").asText())).isEqualTo(data);
        assertThat(m.get("from").asText()).isEqualTo(host.peerId().toBase58());
        js.unsubscribe(topic);
    }
}
