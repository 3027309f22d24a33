package io.omnipeer.discovery.mdns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.omnipeer.core.DecodingException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MdnsCodecTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void queryRoundTrips() {
        ByteBuf q = MdnsCodec.encodeQuery(ALLOC, List.of("_p2p._udp.local"));
        try {
            MdnsMessage m = MdnsCodec.decode(q);
            assertThat(m.response()).isFalse();
            assertThat(m.questions()).containsExactly(new MdnsMessage.Question("_p2p._udp.local", MdnsMessage.TYPE_PTR));
        } finally {
            q.release();
        }
    }

    @Test
    void queryWireFormatIsRfc1035() {
        ByteBuf q = MdnsCodec.encodeQuery(ALLOC, List.of("_p2p._udp.local"));
        try {
            // ID 0, flags 0, QDCOUNT 1, then the name as labels, type PTR (12), class IN (1).
            assertThat(HexFormat.of().formatHex(io.netty.buffer.ByteBufUtil.getBytes(q))).isEqualTo(
                    "000000000001000000000000" + "045f703270045f756470056c6f63616c00" + "000c0001");
        } finally {
            q.release();
        }
    }

    @Test
    void responseRoundTripsWithTxtInAdditionals() {
        var ptr = MdnsMessage.Record.ptr("_p2p._udp.local", "abc._p2p._udp.local");
        var txt = MdnsMessage.Record.txt("abc._p2p._udp.local", List.of("dnsaddr=/ip4/127.0.0.1/tcp/1", "x=y"));
        ByteBuf r = MdnsCodec.encodeResponse(ALLOC, List.of(ptr), List.of(txt), 120);
        try {
            assertThat(r.getUnsignedShort(2)).isEqualTo(0x8400); // QR + AA
            assertThat(r.getUnsignedShort(6)).isEqualTo(1);      // ANCOUNT
            assertThat(r.getUnsignedShort(10)).isEqualTo(1);     // ARCOUNT
            MdnsMessage m = MdnsCodec.decode(r);
            assertThat(m.response()).isTrue();
            assertThat(m.records()).containsExactly(ptr, txt);
        } finally {
            r.release();
        }
    }

    /** A response as js-libp2p's multicast-dns writes it: PTR and TXT all in the answer section, no compression. */
    @Test
    void decodesJsStyleResponseWithTxtInAnswers() {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(0).writeShort(0x8400).writeShort(0).writeShort(2).writeShort(0).writeShort(0);
        writeName(b, "_p2p._udp.local");
        b.writeShort(12).writeShort(1).writeInt(120);
        ByteBuf target = Unpooled.buffer();
        writeName(target, "peer1._p2p._udp.local");
        b.writeShort(target.readableBytes()).writeBytes(target);
        writeName(b, "peer1._p2p._udp.local");
        byte[] s = "dnsaddr=/ip4/127.0.0.1/tcp/4001".getBytes(StandardCharsets.UTF_8);
        b.writeShort(16).writeShort(1).writeInt(120).writeShort(s.length + 1).writeByte(s.length).writeBytes(s);
        MdnsMessage m = MdnsCodec.decode(b);
        assertThat(m.records()).containsExactly(
                MdnsMessage.Record.ptr("_p2p._udp.local", "peer1._p2p._udp.local"),
                MdnsMessage.Record.txt("peer1._p2p._udp.local", List.of("dnsaddr=/ip4/127.0.0.1/tcp/4001")));
    }

    @Test
    void followsNameCompressionPointers() {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(0).writeShort(0x8400).writeShort(0).writeShort(1).writeShort(0).writeShort(0);
        int serviceAt = b.writerIndex();
        writeName(b, "_p2p._udp.local");
        b.writeShort(12).writeShort(1).writeInt(120);
        // target = "peer1" + pointer to the service name at offset 12
        b.writeShort(1 + 5 + 2).writeByte(5).writeBytes("peer1".getBytes(StandardCharsets.US_ASCII))
                .writeShort(0xC000 | serviceAt);
        MdnsMessage m = MdnsCodec.decode(b);
        assertThat(m.records()).containsExactly(MdnsMessage.Record.ptr("_p2p._udp.local", "peer1._p2p._udp.local"));
    }

    @Test
    void rejectsOversizedPacket() {
        ByteBuf b = Unpooled.buffer().writeZero(MdnsCodec.MAX_PACKET_BYTES + 1);
        assertThatThrownBy(() -> MdnsCodec.decode(b)).isInstanceOf(DecodingException.class).hasMessageContaining("9000");
    }

    @Test
    void rejectsTooManyRecordsAndShortHeaderAndTruncation() {
        ByteBuf many = Unpooled.buffer().writeShort(0).writeShort(0x8400).writeShort(0).writeShort(1000)
                .writeShort(0).writeShort(0);
        assertThatThrownBy(() -> MdnsCodec.decode(many)).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> MdnsCodec.decode(Unpooled.buffer().writeZero(5))).isInstanceOf(DecodingException.class);
        ByteBuf truncated = Unpooled.buffer().writeShort(0).writeShort(0x8400).writeShort(0).writeShort(1)
                .writeShort(0).writeShort(0);
        writeName(truncated, "_p2p._udp.local");
        truncated.writeShort(12);
        assertThatThrownBy(() -> MdnsCodec.decode(truncated)).isInstanceOf(DecodingException.class);
    }

    @Test
    void rejectsTxtStringOverrunningItsRecord() {
        ByteBuf b = Unpooled.buffer().writeShort(0).writeShort(0x8400).writeShort(0).writeShort(1)
                .writeShort(0).writeShort(0);
        writeName(b, "x.local");
        b.writeShort(16).writeShort(1).writeInt(120).writeShort(3).writeByte(200).writeByte('a').writeByte('b');
        assertThatThrownBy(() -> MdnsCodec.decode(b)).isInstanceOf(DecodingException.class).hasMessageContaining("overruns");
    }

    @Test
    void pointerLoopIsRejected() {
        ByteBuf b = Unpooled.buffer().writeShort(0).writeShort(0).writeShort(1).writeShort(0)
                .writeShort(0).writeShort(0);
        b.writeShort(0xC000 | 12).writeShort(12).writeShort(1); // name points at itself
        assertThatThrownBy(() -> MdnsCodec.decode(b)).isInstanceOf(DecodingException.class);
    }

    @Test
    void refusesTxtStringsOver255Bytes() {
        var txt = MdnsMessage.Record.txt("a.local", List.of("x".repeat(256)));
        assertThatThrownBy(() -> MdnsCodec.encodeResponse(ALLOC, List.of(), List.of(txt), 120))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static void writeName(ByteBuf b, String name) {
        for (String label : name.split("\\.")) {
            b.writeByte(label.length()).writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        b.writeByte(0);
    }
}
