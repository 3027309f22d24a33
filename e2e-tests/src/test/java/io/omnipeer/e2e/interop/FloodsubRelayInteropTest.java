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
 * A line of three peers, us — js A — js B, with no direct link between us and B: floodsub messages are
 * relayed by a peer that did not author them, so each side verifies a StrictSign signature whose author
 * is not the connection's peer, and relays what it did not author.
 */
class FloodsubRelayInteropTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final String TOPIC = "relay";
    static JsPeer a;
    static JsPeer b;
    static DefaultHost host;
    static FloodsubRouter floodsub;

    @BeforeAll
    static void start() throws Exception {
        a = JsPeer.start();
        b = JsPeer.start();
        host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-interop-test/0.1");
        // js-libp2p opens its floodsub stream only to peers whose identify listed /floodsub/1.0.0.
        new IdentifyService(host);
        floodsub = new FloodsubRouter(host);
        floodsub.start();
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        host.dial(a.addrs().getFirst()).get(10, TimeUnit.SECONDS);
        a.dial(b.addrs().getFirst());
    }

    @AfterAll
    static void stop() throws Exception {
        if (floodsub != null) floodsub.close();
        if (host != null) host.close().get(10, TimeUnit.SECONDS);
        if (a != null) a.close();
        if (b != null) b.close();
    }

    @Test
    void messagesCrossAJsRelayBothWays() throws Exception {
        List<PubsubMessage> got = new CopyOnWriteArrayList<>();
        int markB = b.eventMark();
        a.subscribe(TOPIC);
        b.subscribe(TOPIC);
        try (Subscription ignored = floodsub.subscribe(TOPIC, got::add)) {
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(a.subscribers(TOPIC)).as("A's view").contains(host.peerId().toBase58(), b.peerId().toBase58());
                assertThat(b.subscribers(TOPIC)).as("B's view").contains(a.peerId().toBase58());
                assertThat(floodsub.peersSubscribedTo(TOPIC)).as("our view").contains(a.peerId());
            });
            assertThat(host.connection(b.peerId())).isEmpty();

            byte[] fromB = "from B via A".getBytes(StandardCharsets.UTF_8);
            assertThat(b.publish(TOPIC, fromB)).containsExactly(a.peerId().toBase58());
            await().atMost(WAIT).until(() -> got.stream().anyMatch(m -> m.from().equals(b.peerId())));
            PubsubMessage m = got.stream().filter(x -> x.from().equals(b.peerId())).findFirst().orElseThrow();
            assertThat(m.data()).isEqualTo(fromB);

            byte[] fromUs = "from us via A".getBytes(StandardCharsets.UTF_8);
            floodsub.publish(TOPIC, fromUs).get(10, TimeUnit.SECONDS);
            JsonNode atB = b.awaitEventAfter(markB, "message",
                    e -> e.get("from").asText().equals(host.peerId().toBase58()), WAIT);
            assertThat(Base64.getDecoder().decode(atB.get("data").asText())).isEqualTo(fromUs);
            // Our own message relayed back by A is not delivered to us again.
            assertThat(got).noneMatch(x -> x.from().equals(host.peerId()));
        }
    }
}
