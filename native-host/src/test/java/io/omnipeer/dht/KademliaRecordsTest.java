package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnipeer.core.Multihash;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** PUT_VALUE/GET_VALUE and providers over the in-memory network in virtual time. */
class KademliaRecordsTest {
    private static final DhtConfig CONFIG = DhtConfig.defaults();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putThenGetFromAnotherNodeAndHigherSeqWins() throws Exception {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(5));
        List<Kademlia> nodes = net.nodes(60, CONFIG);
        MemoryNetwork.wire(nodes, 0, new Random(10));
        PrivateKey writer = Ed25519PrivateKey.generate();
        byte[] key = AppRecordValidator.keyFor("web-test", "greeting");
        int stored = net.await(nodes.get(0).putValue(key, AppRecordValidator.sign(writer, key, utf8("hello"), 1)));
        assertThat(stored).isEqualTo(20);
        Optional<byte[]> got = net.await(nodes.get(33).getValue(key));
        assertThat(got).isPresent();
        assertThat(AppRecordValidator.open(key, got.get()).value()).isEqualTo(utf8("hello"));

        net.await(nodes.get(7).putValue(key, AppRecordValidator.sign(writer, key, utf8("hello again"), 2)));
        Optional<byte[]> newer = net.await(nodes.get(50).getValue(key, 20));
        assertThat(AppRecordValidator.open(key, newer.get()).seq()).isEqualTo(2);
    }

    @Test
    void getCorrectsPeersHoldingAnOlderValue() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(5));
        List<Kademlia> nodes = net.nodes(40, CONFIG);
        MemoryNetwork.wire(nodes, 0, new Random(11));
        PrivateKey writer = Ed25519PrivateKey.generate();
        byte[] key = AppRecordValidator.keyFor("web-test", "counter");
        byte[] v1 = AppRecordValidator.sign(writer, key, utf8("1"), 1);
        byte[] v2 = AppRecordValidator.sign(writer, key, utf8("2"), 2);
        net.await(nodes.get(0).putValue(key, v1));
        Kademlia holder = nodes.stream().filter(n -> n.records().get(key).isPresent() && n != nodes.get(0))
                .findFirst().orElseThrow();
        holder.records().put(key, v2);
        Optional<byte[]> best = net.await(nodes.get(1).getValue(key, 40));
        assertThat(best.get()).isEqualTo(v2);
        net.timer.advance(Duration.ofSeconds(1));
        long updated = nodes.stream().filter(n -> n.records().get(key).map(r -> java.util.Arrays.equals(r.value(), v2))
                .orElse(false)).count();
        assertThat(updated).isGreaterThan(10);
    }

    @Test
    void invalidValuesAreRefusedLocallyAndByPeers() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(5));
        List<Kademlia> nodes = net.nodes(10, CONFIG);
        MemoryNetwork.wire(nodes, 0, new Random(12));
        assertThatThrownBy(() -> net.await(nodes.get(0).putValue(utf8("/nope/x"), utf8("v"))))
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalArgumentException.class);
        byte[] key = AppRecordValidator.keyFor("web-test", "k");
        byte[] forged = AppRecordValidator.sign(Ed25519PrivateKey.generate(), utf8("/omnipeer/app/other/k"), utf8("x"), 1);
        assertThatThrownBy(() -> net.await(nodes.get(0).putValue(key, forged))).hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void publicKeyRecordsAreServedFromWhatNodesKnow() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(5));
        List<Kademlia> nodes = net.nodes(20, CONFIG);
        MemoryNetwork.wire(nodes, 0, new Random(13));
        PeerId target = nodes.get(3).self();
        Optional<byte[]> pk = net.await(nodes.get(9).getValue(PublicKeyValidator.keyFor(target), 1));
        assertThat(pk).isPresent();
        assertThat(target.matches(io.omnipeer.core.crypto.PublicKey.unmarshal(pk.get()))).isTrue();
    }

    @Test
    void providersAreFoundExpireAndAreRepublished() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(5));
        DhtConfig config = CONFIG.withProviderTimes(Duration.ofHours(2), Duration.ofHours(1));
        List<Kademlia> nodes = net.nodes(50, config);
        MemoryNetwork.wire(nodes, 0, new Random(14));
        byte[] cid = Multihash.sha256(utf8("some content")).bytes();
        Kademlia provider = nodes.get(4);
        Kademlia quitter = nodes.get(5);
        assertThat(net.await(provider.provide(cid))).isEqualTo(20);
        net.await(quitter.provide(cid));
        List<DhtPeer> found = net.await(nodes.get(40).findProviders(cid, 5));
        assertThat(found).extracting(DhtPeer::id).contains(provider.self(), quitter.self());
        assertThat(found).allSatisfy(p -> assertThat(p.addrs()).isNotEmpty());

        // only the provider keeps republishing; the quitter's records expire after the provider TTL
        provider.start();
        net.timer.advance(Duration.ofMinutes(150));
        quitter.providers().purgeExpired();
        List<DhtPeer> later = net.await(nodes.get(41).findProviders(cid, 5));
        assertThat(later).extracting(DhtPeer::id).contains(provider.self()).doesNotContain(quitter.self());
        provider.close();
    }

    @Test
    void provideNeedsAMultihashKey() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(5));
        Kademlia n = net.node(CONFIG);
        assertThatThrownBy(() -> net.await(n.provide(utf8("not a multihash"))))
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }
}
