package io.omnipeer.discovery.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bootstrapper against real hosts on loopback: it connects to its targets at once; when a target's connection
 * drops it redials only while the node is isolated (fewer than {@link Bootstrapper#MIN_CONNECTIONS} connections),
 * so a connection manager's trims stay trimmed.
 */
class BootstrapperTest {
    private final List<DefaultHost> hosts = new ArrayList<>();
    private final List<Bootstrapper> bootstrappers = new ArrayList<>();

    private DefaultHost host() throws Exception {
        DefaultHost host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "bootstrap-test");
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(5, TimeUnit.SECONDS);
        hosts.add(host);
        return host;
    }

    private static Multiaddr dialable(DefaultHost host) {
        return host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    @AfterEach
    void stop() throws Exception {
        bootstrappers.forEach(Bootstrapper::close);
        for (DefaultHost h : hosts) {
            h.close().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIsolatedNodeRedialsItsDroppedSeedAWellConnectedOneLeavesItClosed() throws Exception {
        DefaultHost seed = host();
        DefaultHost lonely = host();
        Bootstrapper lonelyBootstrap = new Bootstrapper(lonely);
        bootstrappers.add(lonelyBootstrap);
        lonelyBootstrap.addTarget(dialable(seed), 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> seed.connection(lonely.peerId()).isPresent());

        seed.connection(lonely.peerId()).orElseThrow().close();
        // one connection was all it had: it comes back
        await().atMost(Duration.ofSeconds(15)).until(() -> seed.connection(lonely.peerId()).isPresent());

        DefaultHost busy = host();
        Bootstrapper busyBootstrap = new Bootstrapper(busy);
        bootstrappers.add(busyBootstrap);
        busyBootstrap.addTarget(dialable(seed), 0);
        for (int i = 0; i < Bootstrapper.MIN_CONNECTIONS; i++) {
            busy.dial(dialable(host())).get(10, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> seed.connection(busy.peerId()).isPresent());
        seed.connection(busy.peerId()).orElseThrow().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> busy.connection(seed.peerId()).isEmpty());
        Thread.sleep(3 * Bootstrapper.BASE_BACKOFF_MILLIS);
        assertThat(busy.connection(seed.peerId())).as("trimmed on purpose: not redialled").isEmpty();
    }
}
