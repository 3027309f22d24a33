package io.omnipeer.negotiation.multistream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Varint;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** libp2p/specs connections/README.md, "multistream-select": framing examples and bounds. */
class MultistreamCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void naIsEncodedAsInTheSpec() {
        ByteBuf buf = Unpooled.buffer();
        MultistreamCodec.write("na", buf);
        assertThat(ByteBufUtil.hexDump(buf)).isEqualTo("036e610a");
        assertThat(MultistreamCodec.read(buf)).isEqualTo("na");
        assertThat(buf.readableBytes()).isZero();
    }

    @Test
    void headerLengthCountsTheNewline() {
        ByteBuf buf = Unpooled.buffer();
        MultistreamCodec.write("/multistream/1.0.0", buf);
        assertThat(buf.getByte(0)).isEqualTo((byte) 19);
        assertThat(buf.readableBytes()).isEqualTo(20);
    }

    @Test
    void partialMessagesWaitForMoreBytes() {
        ByteBuf whole = Unpooled.buffer();
        MultistreamCodec.write("/yamux/1.0.0", whole);
        for (int cut = 0; cut < whole.readableBytes(); cut++) {
            ByteBuf part = whole.slice(0, cut);
            assertThat(MultistreamCodec.read(part)).isNull();
            assertThat(part.readerIndex()).isZero();
        }
        assertThat(MultistreamCodec.read(whole)).isEqualTo("/yamux/1.0.0");
    }

    @Test
    void pipelinedMessagesAreReadOneByOne() {
        ByteBuf buf = Unpooled.buffer();
        MultistreamCodec.write("/multistream/1.0.0", buf);
        MultistreamCodec.write("/noise", buf);
        buf.writeBytes(new byte[] {1, 2, 3});
        assertThat(MultistreamCodec.read(buf)).isEqualTo("/multistream/1.0.0");
        assertThat(MultistreamCodec.read(buf)).isEqualTo("/noise");
        assertThat(buf.readableBytes()).isEqualTo(3);
    }

    @Test
    void missingNewlineIsRejected() {
        assertThatThrownBy(() -> MultistreamCodec.read(Unpooled.wrappedBuffer(HEX.parseHex("036e6161"))))
                .isInstanceOf(DecodingException.class).hasMessageContaining("newline");
    }

    @Test
    void zeroAndOversizedLengthsAreRejectedBeforeTheBodyArrives() {
        assertThatThrownBy(() -> MultistreamCodec.read(Unpooled.wrappedBuffer(new byte[] {0})))
                .isInstanceOf(DecodingException.class);
        ByteBuf tooLong = Unpooled.buffer();
        Varint.write(MultistreamCodec.MAX_MESSAGE_LENGTH + 1, tooLong);
        assertThatThrownBy(() -> MultistreamCodec.read(tooLong)).isInstanceOf(DecodingException.class).hasMessageContaining("outside");
        ByteBuf huge = Unpooled.wrappedBuffer(HEX.parseHex("ffffffffffffffffff01"));
        assertThatThrownBy(() -> MultistreamCodec.read(huge)).isInstanceOf(DecodingException.class);
    }

    @Test
    void oversizedOrMultilineMessagesCannotBeWritten() {
        assertThatThrownBy(() -> MultistreamCodec.write("x".repeat(MultistreamCodec.MAX_MESSAGE_LENGTH), Unpooled.buffer()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MultistreamCodec.write("a\nb", Unpooled.buffer())).isInstanceOf(IllegalArgumentException.class);
        ByteBuf max = Unpooled.buffer();
        MultistreamCodec.write("x".repeat(MultistreamCodec.MAX_MESSAGE_LENGTH - 1), max);
        assertThat(MultistreamCodec.read(max)).hasSize(MultistreamCodec.MAX_MESSAGE_LENGTH - 1);
    }
}
