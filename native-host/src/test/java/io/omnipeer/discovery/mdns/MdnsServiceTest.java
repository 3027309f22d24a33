package io.omnipeer.discovery.mdns;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two mDNS services on the loopback interface find each other (real multicast sockets, lo only). */
class MdnsServiceTest {

    @BeforeAll
    static void loopbackMulticast() throws Exception {
        LoopbackMulticast.ensureEnabled();
    }

    @Test
    void twoServicesOnLoopbackFindEachOther() throws Exception {
        int port = LoopbackMulticast.freeUdpPort();
        var config = new MdnsService.Config(port, Duration.ofMillis(500));
        PeerId a = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        PeerId b = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr addrA = Multiaddr.parse("/ip4/127.0.0.1/tcp/41001");
        Multiaddr addrB = Multiaddr.parse("/ip4/127.0.0.1/tcp/41002");
        Map<PeerId, List<Multiaddr>> foundByA = new ConcurrentHashMap<>();
        Map<PeerId, List<Multiaddr>> foundByB = new ConcurrentHashMap<>();
        try (var mdnsA = new MdnsService(a, () -> List.of(addrA), LoopbackMulticast.INTERFACE, foundByA::put, config);
             var mdnsB = new MdnsService(b, () -> List.of(addrB), LoopbackMulticast.INTERFACE, foundByB::put, config)) {
            mdnsA.start();
            mdnsB.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> foundByA.containsKey(b) && foundByB.containsKey(a));
            assertThat(foundByA.get(b)).containsExactly(addrB);
            assertThat(foundByB.get(a)).containsExactly(addrA);
            assertThat(foundByA).doesNotContainKey(a);
            assertThat(foundByB).doesNotContainKey(b);
        }
    }

    @Test
    void refusesUnknownInterface() {
        PeerId a = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new MdnsService(a, List::of, "no-such-if0", (p, addrs) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
