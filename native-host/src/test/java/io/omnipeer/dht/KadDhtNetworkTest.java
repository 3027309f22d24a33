package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnipeer.core.Multihash;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Twenty real hosts on loopback (own TCP listener and identity each) form a DHT: each joins through the first one and
 * bootstraps; then find-peer, put/get and provide/find-providers work between nodes that were never connected.
 */
class KadDhtNetworkTest {
    static final int NODES = 20;
    static final Duration WAIT = Duration.ofSeconds(60);
    static final DhtLoopbackNet net = new DhtLoopbackNet();

    @BeforeAll
    static void form() throws Exception {
        for (int i = 0; i < NODES; i++) {
            net.dht(DhtLoopbackNet.testConfig());
        }
        for (int i = 1; i < NODES; i++) {
            DhtLoopbackNet.connect(net.hosts.get(i), net.hosts.get(0));
        }
        await().atMost(WAIT).until(() -> net.dhts.get(0).routingTable().size() == NODES - 1);
        for (int i = 1; i < NODES; i++) {
            int n = i;
            await().atMost(WAIT).until(() -> net.dhts.get(n).routingTable().size() >= 1);
            net.dhts.get(i).bootstrap().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        net.close();
    }

    @Test
    void everyNodeServesAndAdvertisesTheProtocol() {
        assertThat(net.dhts).allMatch(KadDht::isServer);
        assertThat(net.hosts.get(3).supportedProtocols()).contains(KadDht.PROTOCOL);
        assertThat(net.dhts.get(5).routingTable().size()).isGreaterThan(5);
    }

    @Test
    void findPeerReturnsTheListenAddressOfAPeerNotConnectedBefore() throws Exception {
        KadDht seeker = net.dhts.get(NODES - 1);
        int targetIndex = NODES - 2;
        var target = net.hosts.get(targetIndex);
        LookupResult r = seeker.findClosest(target.peerId().bytes()).get(60, TimeUnit.SECONDS);
        assertThat(r.closest()).extracting(DhtPeer::id).contains(target.peerId());
        Optional<DhtPeer> found = seeker.findPeer(target.peerId()).get(60, TimeUnit.SECONDS);
        assertThat(found).isPresent();
        assertThat(found.get().addrs()).containsAnyElementsOf(target.listenAddresses());
    }

    @Test
    void putOnOneNodeGetOnAnother() throws Exception {
        PrivateKey writer = Ed25519PrivateKey.generate();
        byte[] key = AppRecordValidator.keyFor("web-test", "hello");
        byte[] record = AppRecordValidator.sign(writer, key, "hi from node 2".getBytes(StandardCharsets.UTF_8), 1);
        int stored = net.dhts.get(2).putValue(key, record).get(60, TimeUnit.SECONDS);
        assertThat(stored).isGreaterThanOrEqualTo(10);
        Optional<byte[]> got = net.dhts.get(15).getValue(key).get(60, TimeUnit.SECONDS);
        assertThat(got).isPresent();
        assertThat(new String(AppRecordValidator.open(key, got.get()).value(), StandardCharsets.UTF_8))
                .isEqualTo("hi from node 2");
    }

    @Test
    void provideOnOneNodeFindProvidersOnAnother() throws Exception {
        byte[] cid = Multihash.sha256("a file".getBytes(StandardCharsets.UTF_8)).bytes();
        int told = net.dhts.get(4).provide(cid).get(60, TimeUnit.SECONDS);
        assertThat(told).isGreaterThanOrEqualTo(10);
        List<DhtPeer> providers = net.dhts.get(11).findProviders(cid, 1).get(60, TimeUnit.SECONDS);
        assertThat(providers).hasSize(1);
        assertThat(providers.getFirst().id()).isEqualTo(net.hosts.get(4).peerId());
        assertThat(providers.getFirst().addrs()).containsAnyElementsOf(net.hosts.get(4).listenAddresses());
    }
}
