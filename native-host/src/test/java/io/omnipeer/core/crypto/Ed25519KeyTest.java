package io.omnipeer.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnipeer.core.DecodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 8032 section 7.1 and libp2p/specs peer-ids/peer-ids.md "Test vectors". */
class Ed25519KeyTest {
    private static final HexFormat HEX = HexFormat.of();
    static final String SPEC_PRIVATE = "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d"
            + "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    static final String SPEC_PUBLIC = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

    @Test
    void rfc8032Test1() {
        Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(HEX.formatHex(key.publicKey().raw())).isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] sig = key.sign(new byte[0]);
        assertThat(HEX.formatHex(sig)).isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertThat(key.publicKey().verify(new byte[0], sig)).isTrue();
    }

    @Test
    void specPrivateKeyVectorYieldsSpecPublicKey() {
        PrivateKey key = PrivateKey.unmarshal(HEX.parseHex(SPEC_PRIVATE));
        assertThat(HEX.formatHex(key.publicKey().marshal())).isEqualTo(SPEC_PUBLIC);
        assertThat(HEX.formatHex(key.marshal())).isEqualTo(SPEC_PRIVATE);
        PublicKey pub = PublicKey.unmarshal(HEX.parseHex(SPEC_PUBLIC));
        assertThat(pub).isEqualTo(key.publicKey());
        assertThat(pub.type()).isEqualTo(KeyType.ED25519);
    }

    @Test
    void signVerifyAndRejectTampering() {
        Ed25519PrivateKey key = Ed25519PrivateKey.generate();
        byte[] data = "noise-libp2p-static-key:".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = key.sign(data);
        assertThat(key.publicKey().verify(data, sig)).isTrue();
        sig[0] ^= 1;
        assertThat(key.publicKey().verify(data, sig)).isFalse();
        assertThat(key.publicKey().verify(data, new byte[3])).isFalse();
        assertThat(Ed25519PrivateKey.fromSeed(key.seed()).publicKey()).isEqualTo(key.publicKey());
    }

    @Test
    void unsupportedAndMalformedKeys() {
        String secp256k1 = "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";
        assertThatThrownBy(() -> PublicKey.unmarshal(HEX.parseHex(secp256k1)))
                .isInstanceOf(DecodingException.class).hasMessageContaining("unsupported key type");
        assertThatThrownBy(() -> PrivateKey.unmarshal(HEX.parseHex("0802122053dadf1d5a164d6b4acdb15e24aa4c5b1d3461bdbd42abedb0a4404d56ced8fb")))
                .isInstanceOf(DecodingException.class).hasMessageContaining("unsupported key type");
        assertThatThrownBy(() -> PublicKey.unmarshal(HEX.parseHex("0801121f" + "00".repeat(31))))
                .isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> PublicKey.unmarshal(HEX.parseHex("0801")))
                .isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> PublicKey.unmarshal(HEX.parseHex("ffff")))
                .isInstanceOf(DecodingException.class);
        // private key whose embedded public half does not match the seed
        String bad = SPEC_PRIVATE.substring(0, SPEC_PRIVATE.length() - 2) + "00";
        assertThatThrownBy(() -> PrivateKey.unmarshal(HEX.parseHex(bad))).isInstanceOf(DecodingException.class);
    }
}
