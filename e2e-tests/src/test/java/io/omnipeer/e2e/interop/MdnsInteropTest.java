package io.omnipeer.e2e.interop;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.discovery.mdns.MdnsService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Our mDNS responder/querier against js-libp2p's @libp2p/mdns, both on the loopback interface only
 * (peer.mjs confines multicast-dns to 127.0.0.1; our service is bound to "lo"), on a private UDP port.
 */
class MdnsInteropTest {

    static int port;
    static JsPeer js;

    @BeforeAll
    static void start() throws Exception {
        LoopbackMulticast.ensureEnabled();
        port = LoopbackMulticast.freeUdpPort();
        js = JsPeer.start(JsPeer.Options.defaults().withMdns(port, 500));
    }

    @AfterAll
    static void stop() {
        if (js != null) js.close();
    }

    @Test
    void eachSideDiscoversTheOther() throws Exception {
        PeerId ours = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr ourAddr = Multiaddr.parse("/ip4/127.0.0.1/tcp/45123");
        Map<PeerId, List<Multiaddr>> found = new ConcurrentHashMap<>();
        try (var mdns = new MdnsService(ours, () -> List.of(ourAddr), "lo", found::put,
                new MdnsService.Config(port, Duration.ofMillis(500)))) {
            long t0 = System.nanoTime();
            mdns.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> found.containsKey(js.peerId()));
            long ourMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(found.get(js.peerId())).containsExactlyElementsOf(
                    js.addrs().stream().map(Multiaddr::withoutPeerId).toList());

            var event = js.awaitEvent("peer:discovery", e -> e.get("peerId").asText().equals(ours.toBase58()),
                    Duration.ofSeconds(15));
            long jsMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(event.get("addrs").get(0).asText()).isEqualTo(ourAddr.toString());
            System.out.printf("mDNS interop: we found js after %d ms, js found us after %d ms%n", ourMs, jsMs);
        }
    }
}
