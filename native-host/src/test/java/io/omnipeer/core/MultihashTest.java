package io.omnipeer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Examples from multiformats/multihash README and test vectors. */
class MultihashTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void sha256OfMultihashSpecExample() {
        // multihash README: sha2-256 of "Merkle–Damgård"
        Multihash mh = Multihash.sha256("Merkle–Damgård".getBytes(StandardCharsets.UTF_8));
        assertThat(HEX.formatHex(mh.bytes()))
                .isEqualTo("122041dd7b6443542e75701aa98a0c235951a28a0d851b11564d20022ab11d2589a8");
        assertThat(Multihash.decode(mh.bytes())).isEqualTo(mh);
    }

    @Test
    void identityRoundTrip() {
        Multihash mh = Multihash.identity("foo".getBytes(StandardCharsets.UTF_8));
        assertThat(HEX.formatHex(mh.bytes())).isEqualTo("0003666f6f");
        assertThat(Multihash.decode(HEX.parseHex("0003666f6f"))).isEqualTo(mh);
        assertThat(Multihash.decode(HEX.parseHex("0000")).digest()).isEmpty();
    }

    @Test
    void malformedIsRejected() {
        assertThatThrownBy(() -> Multihash.decode(new byte[0])).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("0003666f"))).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("0003666f6f00"))).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("1203010203"))).isInstanceOf(DecodingException.class)
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> Multihash.decode(HEX.parseHex("00ff7f"))).isInstanceOf(DecodingException.class)
                .hasMessageContaining("exceeds");
    }

    @Test
    void digestIsCopied() {
        byte[] d = {1, 2, 3};
        Multihash mh = Multihash.identity(d);
        d[0] = 9;
        mh.digest()[1] = 9;
        assertThat(mh.digest()).containsExactly(1, 2, 3);
    }
}
