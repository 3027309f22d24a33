package io.omnipeer.muxer.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** libp2p/specs yamux/README.md, "Framing": 12-byte big-endian header, Data payload behind it. */
class YamuxFrameCodecTest {

    private static ByteBuf encode(YamuxFrame frame) {
        EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameEncoder());
        ch.writeOutbound(frame);
        ByteBuf out = Unpooled.buffer();
        ByteBuf part;
        while ((part = ch.readOutbound()) != null) {
            out.writeBytes(part);
            part.release();
        }
        return out;
    }

    private static YamuxFrame decodeOne(ByteBuf bytes) {
        EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameDecoder());
        ch.writeInbound(bytes);
        YamuxFrame frame = ch.readInbound();
        assertThat((Object) ch.readInbound()).isNull();
        return frame;
    }

    @Test
    void headerLayoutMatchesTheSpec() {
        ByteBuf bytes = encode(YamuxFrame.windowUpdate(3, YamuxFrame.SYN | YamuxFrame.ACK, 262144));
        assertThat(ByteBufUtil.hexDump(bytes)).isEqualTo("00" + "01" + "0003" + "00000003" + "00040000");
        assertThat(ByteBufUtil.hexDump(encode(YamuxFrame.goAway(YamuxFrame.GO_AWAY_PROTOCOL_ERROR))))
                .isEqualTo("000300000000000000000001");
        assertThat(ByteBufUtil.hexDump(encode(YamuxFrame.ping(YamuxFrame.SYN, 0xFFFF_FFFFL))))
                .isEqualTo("00020001" + "00000000" + "ffffffff");
    }

    @Test
    void everyTypeRoundTrips() {
        YamuxFrame[] frames = {
            YamuxFrame.data(0xFFFF_FFFE, YamuxFrame.FIN, Unpooled.copiedBuffer("hello", StandardCharsets.UTF_8)),
            YamuxFrame.data(1, YamuxFrame.SYN, Unpooled.EMPTY_BUFFER),
            YamuxFrame.windowUpdate(2, YamuxFrame.RST, 0),
            YamuxFrame.ping(YamuxFrame.ACK, 7),
            YamuxFrame.goAway(YamuxFrame.GO_AWAY_INTERNAL_ERROR)};
        for (YamuxFrame f : frames) {
            String payload = f.data().toString(StandardCharsets.UTF_8);
            YamuxFrame back = decodeOne(encode(f));
            assertThat(back.type()).isEqualTo(f.type());
            assertThat(back.flags()).isEqualTo(f.flags());
            assertThat(back.streamId()).isEqualTo(f.streamId());
            assertThat(back.length()).isEqualTo(f.length());
            assertThat(back.data().toString(StandardCharsets.UTF_8)).isEqualTo(payload);
            back.release();
        }
    }

    @Test
    void framesSplitAcrossReadsAreReassembled() {
        ByteBuf bytes = encode(YamuxFrame.data(5, 0, Unpooled.wrappedBuffer(new byte[1000])));
        EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameDecoder());
        for (int i = 0; i < bytes.readableBytes(); i += 7) {
            ch.writeInbound(bytes.retainedSlice(i, Math.min(7, bytes.readableBytes() - i)));
        }
        YamuxFrame frame = ch.readInbound();
        assertThat(frame.length()).isEqualTo(1000);
        assertThat(frame.data().readableBytes()).isEqualTo(1000);
        frame.release();
        bytes.release();
    }

    @Test
    void unknownVersionIsRejected() {
        EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameDecoder());
        ByteBuf bad = Unpooled.wrappedBuffer(new byte[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0});
        assertThatThrownBy(() -> ch.writeInbound(bad)).isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(YamuxProtocolException.class).hasMessageContaining("version 1");
    }

    @Test
    void unknownTypeIsRejected() {
        EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameDecoder());
        ByteBuf bad = Unpooled.wrappedBuffer(new byte[] {0, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0});
        assertThatThrownBy(() -> ch.writeInbound(bad)).hasMessageContaining("type 4");
    }

    @Test
    void oversizedDataIsRejectedFromItsHeaderAlone() {
        EmbeddedChannel ch = new EmbeddedChannel(new YamuxFrameDecoder());
        ByteBuf header = Unpooled.buffer();
        YamuxFrameEncoder.writeHeader(new YamuxFrame(YamuxFrame.Type.WINDOW_UPDATE, 0, 1, YamuxFrameDecoder.MAX_DATA_LENGTH + 1L,
                Unpooled.EMPTY_BUFFER), header);
        header.setByte(1, 0); // turn it into a Data header announcing MAX_DATA_LENGTH + 1 bytes
        assertThatThrownBy(() -> ch.writeInbound(header)).hasMessageContaining("exceeds");
        // After a session-level error the decoder discards everything.
        ch.writeInbound(encode(YamuxFrame.ping(YamuxFrame.SYN, 1)));
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void lengthFieldIsBoundedToUnsigned32Bits() {
        assertThatThrownBy(() -> YamuxFrame.windowUpdate(1, 0, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> YamuxFrame.windowUpdate(1, 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
