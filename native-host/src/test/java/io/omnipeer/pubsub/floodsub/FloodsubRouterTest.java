package io.omnipeer.pubsub.floodsub;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.pubsub.PubsubMessage;
import io.omnipeer.pubsub.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Floodsub between real hosts over loopback TCP + Noise + yamux. */
class FloodsubRouterTest {
    private final List<DefaultHost> hosts = new ArrayList<>();
    private final List<FloodsubRouter> routers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        routers.forEach(FloodsubRouter::close);
        for (DefaultHost host : hosts) {
            host.close().get(30, TimeUnit.SECONDS); // close() itself waits up to 5 s for connections, then for the event loops
        }
    }

    private FloodsubRouter node() throws Exception {
        DefaultHost host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-test");
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(5, TimeUnit.SECONDS);
        hosts.add(host);
        FloodsubRouter router = new FloodsubRouter(host);
        router.start();
        routers.add(router);
        return router;
    }

    private static void connect(int from, int to, List<DefaultHost> hosts) throws Exception {
        DefaultHost target = hosts.get(to);
        hosts.get(from).dial(target.listenAddresses().getFirst().withPeerId(target.peerId())).get(10, TimeUnit.SECONDS);
    }

    @Test
    void messageIsForwardedAlongALineOfPeersExactlyOnce() throws Exception {
        FloodsubRouter a = node();
        FloodsubRouter b = node();
        FloodsubRouter c = node();
        connect(0, 1, hosts);
        connect(1, 2, hosts);
        List<PubsubMessage> atB = new CopyOnWriteArrayList<>();
        List<PubsubMessage> atC = new CopyOnWriteArrayList<>();
        b.subscribe("chat", atB::add);
        c.subscribe("chat", atC::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.peersSubscribedTo("chat").size() == 1
                && b.peersSubscribedTo("chat").size() == 1);

        a.publish("chat", "hello".getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(10)).until(() -> atB.size() == 1 && atC.size() == 1);
        PubsubMessage got = atC.getFirst();
        assertThat(got.from()).isEqualTo(hosts.get(0).peerId());
        assertThat(new String(got.data(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(got.seqno()).hasSize(8);
        // No echo back and no duplicates after the flood settles.
        Thread.sleep(300);
        assertThat(atB).hasSize(1);
        assertThat(atC).hasSize(1);
    }

    @Test
    void unsubscribedPeersStopReceiving() throws Exception {
        FloodsubRouter a = node();
        FloodsubRouter b = node();
        connect(0, 1, hosts);
        List<PubsubMessage> atB = new CopyOnWriteArrayList<>();
        Subscription subscription = b.subscribe("news", atB::add);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.peersSubscribedTo("news").size() == 1);
        subscription.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.peersSubscribedTo("news").isEmpty());
        a.publish("news", new byte[]{1});
        Thread.sleep(300);
        assertThat(atB).isEmpty();
    }

    @Test
    void subscriptionsMadeBeforeConnectingAreAnnounced() throws Exception {
        FloodsubRouter a = node();
        FloodsubRouter b = node();
        List<PubsubMessage> atB = new CopyOnWriteArrayList<>();
        b.subscribe("early", atB::add);
        connect(0, 1, hosts);
        await().atMost(Duration.ofSeconds(10)).until(() -> a.peersSubscribedTo("early").size() == 1);
        a.publish("early", new byte[]{7});
        await().atMost(Duration.ofSeconds(10)).until(() -> atB.size() == 1);
    }
}
