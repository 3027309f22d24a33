package io.omnipeer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.crypto.PublicKey;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** libp2p/specs peer-ids/peer-ids.md "Peer Ids", "String representation" and "Test vectors". */
class PeerIdTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String SPEC_ED25519_PUBLIC = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

    @Test
    void ed25519KeyGivesIdentityPeerId() {
        PublicKey key = PublicKey.unmarshal(HEX.parseHex(SPEC_ED25519_PUBLIC));
        PeerId id = PeerId.fromPublicKey(key);
        assertThat(HEX.formatHex(id.bytes())).isEqualTo("0024" + SPEC_ED25519_PUBLIC);
        // Same seed as the spec vector; the text form agrees with rust-libp2p derived test data.
        assertThat(id.toBase58()).isEqualTo("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
        assertThat(id.toString()).isEqualTo(id.toBase58());
        assertThat(id.extractPublicKey()).contains(key);
        assertThat(id.matches(key)).isTrue();
        assertThat(id.matches(Ed25519PrivateKey.generate().publicKey())).isFalse();
        assertThat(PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey()).toBase58()).startsWith("12D3KooW");
    }

    @Test
    void parsesSpecExamples() {
        PeerId ed = PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        assertThat(ed.multihash().code()).isEqualTo(Multihash.IDENTITY);
        assertThat(ed.extractPublicKey()).isPresent();
        assertThat(ed.toBase58()).isEqualTo("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");

        PeerId qm = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        assertThat(qm.multihash().code()).isEqualTo(Multihash.SHA2_256);
        assertThat(qm.extractPublicKey()).isEmpty();
        PeerId cid = PeerId.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        assertThat(cid).isEqualTo(qm);
        assertThat(qm.toCid()).isEqualTo("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
    }

    @Test
    void cidRoundTripForEd25519() {
        PeerId id = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        assertThat(id.toCid()).startsWith("bafz");
        assertThat(PeerId.parse(id.toCid())).isEqualTo(id);
        assertThat(PeerId.parse(Multibase.decode(id.toCid()).length > 0 ? "z" + Base58.encode(Multibase.decode(id.toCid())) : ""))
                .isEqualTo(id);
        assertThat(PeerId.fromBytes(id.bytes())).isEqualTo(id).hasSameHashCodeAs(id);
    }

    @Test
    void malformedPeerIdsAreRejected() {
        assertThatThrownBy(() -> PeerId.parse("")).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> PeerId.parse("QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY")).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> PeerId.parse("12D3KooW")).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> PeerId.parse("not-a-peer")).isInstanceOf(DecodingException.class);
        // CIDv1 with the dag-pb codec instead of libp2p-key
        assertThatThrownBy(() -> PeerId.parse("bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"))
                .isInstanceOf(DecodingException.class).hasMessageContaining("libp2p-key");
        // sha2-512 multihash is not a peer ID
        assertThatThrownBy(() -> PeerId.fromBytes(new Multihash(0x13, new byte[64]).bytes())).isInstanceOf(DecodingException.class);
    }
}
