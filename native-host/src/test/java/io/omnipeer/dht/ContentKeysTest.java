package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnipeer.control.Namespaces;
import io.omnipeer.core.Multihash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Provider keys from text (base58 multihash, CIDv1) and caller namespaces. */
class ContentKeysTest {
    @Test
    void base58MultihashAndCidV1NameTheSameKey() {
        byte[] mh = Multihash.sha256("x".getBytes(StandardCharsets.UTF_8)).bytes();
        assertThat(ContentKeys.parse(ContentKeys.format(mh))).isEqualTo(mh);
        // CIDv1, raw codec (0x55), base32: "b" + base32(0x01 0x55 || multihash)
        byte[] cid = new byte[mh.length + 2];
        cid[0] = 1;
        cid[1] = 0x55;
        System.arraycopy(mh, 0, cid, 2, mh.length);
        String text = io.omnipeer.core.Multibase.encode(io.omnipeer.core.Multibase.BASE32_LOWER, cid);
        assertThat(text).startsWith("bafk");
        assertThat(ContentKeys.parse(text)).isEqualTo(mh);
        assertThatThrownBy(() -> ContentKeys.parse("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ContentKeys.parse("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namespacesAreStableAndSeparate() {
        assertThat(Namespaces.of("https://a.example")).isEqualTo(Namespaces.of("https://a.example"))
                .isNotEqualTo(Namespaces.of("https://b.example")).matches("web-[a-z2-7]{16}");
        assertThat(Namespaces.of("app:org.example.chat")).isEqualTo("org.example.chat");
        assertThat(Namespaces.of("app:../x")).startsWith("web-");
    }
}
