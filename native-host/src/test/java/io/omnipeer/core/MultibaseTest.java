package io.omnipeer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Examples from multiformats/multibase tests (test1.csv "yes mani !", leading zeros). */
class MultibaseTest {
    @ParameterizedTest
    @CsvSource({
        "yes mani !, z7paNL19xttacUY, bpfsxgidnmfxgsibb",
        "hello world, zStV1DL6CwTryKyV, bnbswy3dpeb3w64tmmq"})
    void specStrings(String text, String base58, String base32) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Multibase.encode('z', data)).isEqualTo(base58);
        assertThat(Multibase.encode('b', data)).isEqualTo(base32);
        assertThat(Multibase.decode(base58)).isEqualTo(data);
        assertThat(Multibase.decode(base32)).isEqualTo(data);
    }

    @Test
    void leadingZerosSurviveBase58() {
        byte[] data = {0, 0, 0x28, 0x7f, (byte) 0xb4, (byte) 0xcd};
        assertThat(Base58.encode(data)).isEqualTo("11233QC4");
        assertThat(Base58.decode("11233QC4")).isEqualTo(data);
        assertThat(Base58.encode(new byte[0])).isEmpty();
        assertThat(Base58.decode("1")).containsExactly(0);
    }

    @Test
    void malformedInputIsRejected() {
        assertThatThrownBy(() -> Base58.decode("0OIl")).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> Multibase.decode("")).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> Multibase.decode("mAAAA")).isInstanceOf(DecodingException.class).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> Multibase.decode("bAB")).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> Multibase.decode("b1")).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> Base58.decode("2".repeat(Base58.MAX_DECODE_CHARS + 1))).isInstanceOf(DecodingException.class);
    }
}
