package io.omnipeer.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** multiformats/unsigned-varint README examples and edge cases. */
class VarintTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @CsvSource({
        "0, 00", "1, 01", "127, 7f", "128, 8001", "255, ff01", "300, ac02", "16384, 808001",
        "9223372036854775807, ffffffffffffffff7f"})
    void specExamplesRoundTrip(long value, String hex) {
        assertThat(HEX.formatHex(Varint.encode(value))).isEqualTo(hex);
        assertThat(Varint.encodedLength(value)).isEqualTo(hex.length() / 2);
        int[] off = {0};
        assertThat(Varint.decode(HEX.parseHex(hex), off)).isEqualTo(value);
        assertThat(off[0]).isEqualTo(hex.length() / 2);
        ByteBuf buf = Unpooled.buffer();
        Varint.write(value, buf);
        buf.writeByte(0x55);
        assertThat(Varint.read(buf)).isEqualTo(value);
        assertThat(buf.readableBytes()).isEqualTo(1);
        buf.release();
    }

    @Test
    void negativeValuesCannotBeEncoded() {
        assertThatThrownBy(() -> Varint.encode(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Varint.write(Long.MIN_VALUE, Unpooled.buffer())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlongIsRejected() {
        byte[] tenBytes = HEX.parseHex("ffffffffffffffffff01");
        assertThatThrownBy(() -> Varint.decode(tenBytes, new int[1])).isInstanceOf(DecodingException.class).hasMessageContaining("longer");
        ByteBuf buf = Unpooled.wrappedBuffer(tenBytes);
        assertThatThrownBy(() -> Varint.read(buf)).isInstanceOf(DecodingException.class);
        // nine continuation bytes are already too long even before the tenth arrives
        assertThatThrownBy(() -> Varint.read(Unpooled.wrappedBuffer(HEX.parseHex("808080808080808080"))))
                .isInstanceOf(DecodingException.class);
    }

    @Test
    void nonMinimalIsRejected() {
        for (String hex : new String[] {"8000", "ff00", "818000"}) {
            assertThatThrownBy(() -> Varint.decode(HEX.parseHex(hex), new int[1]))
                    .isInstanceOf(DecodingException.class).hasMessageContaining("minimal");
            assertThatThrownBy(() -> Varint.read(Unpooled.wrappedBuffer(HEX.parseHex(hex))))
                    .isInstanceOf(DecodingException.class);
        }
    }

    @Test
    void truncatedReadsLeaveBufferUntouched() {
        ByteBuf buf = Unpooled.wrappedBuffer(HEX.parseHex("8080"));
        assertThat(Varint.read(buf)).isEqualTo(-1);
        assertThat(buf.readerIndex()).isZero();
        assertThat(Varint.read(Unpooled.EMPTY_BUFFER)).isEqualTo(-1);
        assertThatThrownBy(() -> Varint.decode(HEX.parseHex("ac"), new int[1])).isInstanceOf(DecodingException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> Varint.decode(new byte[0], new int[1])).isInstanceOf(DecodingException.class);
    }

    @Test
    void decodeContinuesAtOffset() {
        byte[] b = HEX.parseHex("ac02" + "01" + "8001");
        int[] off = {0};
        assertThat(Varint.decode(b, off)).isEqualTo(300);
        assertThat(Varint.decode(b, off)).isEqualTo(1);
        assertThat(Varint.decode(b, off)).isEqualTo(128);
        assertThat(off[0]).isEqualTo(b.length);
    }
}
