package io.omnipeer.connmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A hub host with a connection manager and real spoke hosts dialling it over loopback. */
class ConnectionManagerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<DefaultHost> hosts = new ArrayList<>();

    private DefaultHost host() throws Exception {
        DefaultHost h = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer/0.1.0");
        h.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(30, TimeUnit.SECONDS);
        hosts.add(h);
        return h;
    }

    private static Multiaddr address(DefaultHost h) {
        return h.listenAddresses().get(0).withPeerId(h.peerId());
    }

    @AfterEach
    void close() throws Exception {
        for (DefaultHost h : hosts) {
            h.close().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void trimsToLowWaterKeepingProtectedAndValuablePeers() throws Exception {
        DefaultHost hub = host();
        try (ConnectionManager manager = new ConnectionManager(hub, 3, 4, Duration.ZERO)) {
            List<DefaultHost> spokes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                spokes.add(host());
            }
            PeerId guarded = spokes.get(0).peerId();
            PeerId valuable = spokes.get(1).peerId();
            PeerId meshed = spokes.get(2).peerId();
            manager.protect(guarded, "test");
            manager.tagPeer(valuable, "test", 100);
            manager.protectWhile("mesh", () -> Set.of(meshed));
            for (DefaultHost s : spokes.subList(0, 4)) {
                s.dial(address(hub)).get(30, TimeUnit.SECONDS);
            }
            await().atMost(WAIT).until(() -> hub.connections().size() == 4);
            assertThat(manager.trim()).as("at high water, not above").isZero();
            spokes.get(4).dial(address(hub)).get(30, TimeUnit.SECONDS);
            // Above high water (5 > 4): down to low water (3) closes 2, never the protected one nor the one in
            // the mesh source, and the valuable one goes last, so the two untagged ones go.
            await().atMost(WAIT).until(() -> hub.connections().size() == 3);
            assertThat(hub.connections()).extracting(c -> c.remotePeer()).containsExactlyInAnyOrder(guarded, meshed, valuable);
            assertThat(manager.trimmedConnections()).isEqualTo(2);
        }
    }

    @Test
    void lowestValueGoesFirst() throws Exception {
        DefaultHost hub = host();
        try (ConnectionManager manager = new ConnectionManager(hub, 1, 2, Duration.ZERO)) {
            List<DefaultHost> spokes = List.of(host(), host(), host());
            for (int i = 0; i < spokes.size(); i++) {
                manager.tagPeer(spokes.get(i).peerId(), "rank", 10 * (i + 1));
                manager.tagPeer(spokes.get(i).peerId(), "extra", 1);
            }
            manager.untagPeer(spokes.get(2).peerId(), "extra");
            assertThat(manager.value(spokes.get(2).peerId())).isEqualTo(30);
            assertThat(manager.value(spokes.get(0).peerId())).isEqualTo(11);
            for (DefaultHost s : spokes) {
                s.dial(address(hub)).get(30, TimeUnit.SECONDS);
            }
            await().atMost(WAIT).until(() -> hub.connections().size() == 1
                    && hub.connections().get(0).remotePeer().equals(spokes.get(2).peerId()));
        }
    }

    @Test
    void connectionsInTheirGracePeriodAreNotTrimmed() throws Exception {
        DefaultHost hub = host();
        try (ConnectionManager manager = new ConnectionManager(hub, 1, 2, Duration.ofHours(1))) {
            for (int i = 0; i < 4; i++) {
                host().dial(address(hub)).get(30, TimeUnit.SECONDS);
            }
            await().atMost(WAIT).until(() -> hub.connections().size() == 4);
            assertThat(manager.trim()).isZero();
            assertThat(hub.connections()).hasSize(4);
        }
    }

    @Test
    void protectionTagsStackAndClear() throws Exception {
        DefaultHost hub = host();
        try (ConnectionManager manager = new ConnectionManager(hub, ConnectionLimits.DEFAULT)) {
            PeerId p = host().peerId();
            manager.protect(p, "a");
            manager.protect(p, "b");
            assertThat(manager.unprotect(p, "a")).isTrue();
            assertThat(manager.isProtected(p)).isTrue();
            assertThat(manager.unprotect(p, "b")).isFalse();
            assertThat(manager.isProtected(p)).isFalse();
            assertThat(manager.value(p)).isZero();
        }
    }

    @Test
    void watermarksAreValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConnectionLimits(10, 5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ConnectionLimits(1, 2, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
