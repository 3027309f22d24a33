package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Namespace validators (kad-dht/README.md "Entry validation"; ipfs/specs ipns-record.md) and the bounded stores. */
class RecordValidatorsTest {
    private final VirtualTimer timer = new VirtualTimer();
    private final ValidatorRegistry registry = ValidatorRegistry.standard(timer);

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void namespaceIsTheFirstPathSegment() {
        assertThat(ValidatorRegistry.namespace(utf8("/pk/abc"))).contains("pk");
        assertThat(ValidatorRegistry.namespace(utf8("/omnipeer/app/x/y"))).contains("omnipeer");
        assertThat(ValidatorRegistry.namespace(utf8("nope"))).isEmpty();
        assertThat(ValidatorRegistry.namespace(utf8("//x"))).isEmpty();
        assertThatThrownBy(() -> registry.validate(utf8("/unknown/x"), utf8("v")))
                .isInstanceOf(InvalidRecordException.class).hasMessageContaining("unknown");
    }

    @Test
    void publicKeyRecordMustHashToTheKey() throws Exception {
        PrivateKey k = Ed25519PrivateKey.generate();
        PeerId id = PeerId.fromPublicKey(k.publicKey());
        registry.validate(PublicKeyValidator.keyFor(id), k.publicKey().marshal());
        PrivateKey other = Ed25519PrivateKey.generate();
        assertThatThrownBy(() -> registry.validate(PublicKeyValidator.keyFor(id), other.publicKey().marshal()))
                .isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> registry.validate(PublicKeyValidator.keyFor(id), utf8("garbage")))
                .isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void ipnsRecordsVerifyExpireAndSelectHighestSequence() throws Exception {
        PrivateKey k = Ed25519PrivateKey.generate();
        byte[] key = IpnsValidator.keyFor(PeerId.fromPublicKey(k.publicKey()));
        byte[] v1 = IpnsValidator.create(k, utf8("/ipfs/bafy1"), 1, timer.now().plus(Duration.ofHours(1)), 0);
        byte[] v2 = IpnsValidator.create(k, utf8("/ipfs/bafy2"), 2, timer.now().plus(Duration.ofMinutes(30)), 0);
        registry.validate(key, v1);
        registry.validate(key, v2);
        assertThat(registry.select(key, List.of(v1, v2))).isEqualTo(1);
        assertThat(IpnsValidator.decode(key, v2).value()).isEqualTo(utf8("/ipfs/bafy2"));
        // signed by someone else for this name
        byte[] foreign = IpnsValidator.create(Ed25519PrivateKey.generate(), utf8("/ipfs/evil"), 9,
                timer.now().plus(Duration.ofHours(1)), 0);
        assertThatThrownBy(() -> registry.validate(key, foreign)).isInstanceOf(InvalidRecordException.class);
        timer.advance(Duration.ofMinutes(45));
        assertThatThrownBy(() -> registry.validate(key, v2)).hasMessageContaining("expired");
        registry.validate(key, v1);
        assertThatThrownBy(() -> registry.validate(key, new byte[IpnsValidator.MAX_RECORD_BYTES + 1]))
                .hasMessageContaining("exceeds");
    }

    @Test
    void cborMapRoundTripsAndRejectsTruncation() throws Exception {
        byte[] enc = Cbor.encodeMap(Map.of("TTL", 1_000_000_000_000L, "Value", utf8("x"), "Validity", "2026"));
        assertThat(Cbor.decodeMap(enc)).containsEntry("TTL", 1_000_000_000_000L).containsEntry("Validity", "2026");
        assertThatThrownBy(() -> Cbor.decodeMap(java.util.Arrays.copyOf(enc, enc.length - 1)))
                .isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> Cbor.decodeMap(new byte[] {(byte) 0xbf})).isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void appRecordsAreSignedForTheirKeyAndHighestSeqWins() throws Exception {
        PrivateKey writer = Ed25519PrivateKey.generate();
        byte[] key = AppRecordValidator.keyFor("web-abc", "profile");
        byte[] a = AppRecordValidator.sign(writer, key, utf8("a"), 1);
        byte[] b = AppRecordValidator.sign(writer, key, utf8("b"), 5);
        registry.validate(key, a);
        assertThat(registry.select(key, List.of(b, a))).isZero();
        assertThat(AppRecordValidator.open(key, b).writer()).isEqualTo(writer.publicKey());
        byte[] replayed = AppRecordValidator.sign(writer, AppRecordValidator.keyFor("web-abc", "other"), utf8("a"), 9);
        assertThatThrownBy(() -> registry.validate(key, replayed)).hasMessageContaining("signature");
        assertThatThrownBy(() -> registry.validate(utf8("/omnipeer/app/nons"), a)).hasMessageContaining("<ns>/<name>");
    }

    @Test
    void recordStoreIsBoundedAndExpires() {
        RecordStore store = new RecordStore(2, Duration.ofHours(1), timer);
        assertThat(store.put(utf8("/a"), utf8("1"))).isTrue();
        assertThat(store.put(utf8("/b"), utf8("2"))).isTrue();
        assertThat(store.put(utf8("/c"), utf8("3"))).isFalse();
        assertThat(store.put(utf8("/a"), utf8("1b"))).isTrue();
        timer.advance(Duration.ofMinutes(61));
        assertThat(store.get(utf8("/a"))).isEmpty();
        assertThat(store.put(utf8("/c"), utf8("3"))).isTrue();
        assertThat(store.purgeExpired()).isEqualTo(1);
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void providerStoreKeepsTheNewestPerKeyAndExpires() {
        ProviderStore store = new ProviderStore(1, 3, Duration.ofHours(48), timer);
        List<PeerId> peers = java.util.stream.Stream.generate(() -> PeerId.fromPublicKey(
                Ed25519PrivateKey.generate().publicKey())).limit(5).toList();
        peers.forEach(p -> store.add(utf8("k"), p));
        assertThat(store.providers(utf8("k"), 10)).containsExactly(peers.get(4), peers.get(3), peers.get(2));
        assertThat(store.add(utf8("other"), peers.get(0))).isFalse();
        timer.advance(Duration.ofHours(47));
        store.add(utf8("k"), peers.get(2));
        timer.advance(Duration.ofHours(2));
        assertThat(store.providers(utf8("k"), 10)).containsExactly(peers.get(2));
        assertThat(store.purgeExpired()).isZero();
    }
}
