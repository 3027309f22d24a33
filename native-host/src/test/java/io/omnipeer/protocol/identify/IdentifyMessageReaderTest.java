package io.omnipeer.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Varint;
import io.omnipeer.protocol.identify.pb.IdentifyProtos.Identify;
import org.junit.jupiter.api.Test;

/** Wire form of libp2p/specs identify/README.md: uvarint-length-prefixed protobuf(s). */
class IdentifyMessageReaderTest {

    private static void append(ByteBuf out, Identify message) {
        byte[] b = message.toByteArray();
        Varint.write(b.length, out);
        out.writeBytes(b);
    }

    @Test
    void oneMessageDecodes() {
        ByteBuf buf = Unpooled.buffer();
        append(buf, Identify.newBuilder().setAgentVersion("js-libp2p/2.0.0").addProtocols("/ipfs/ping/1.0.0").build());
        Identify m = IdentifyMessageReader.decode(buf);
        assertThat(m.getAgentVersion()).isEqualTo("js-libp2p/2.0.0");
        assertThat(m.getProtocolsList()).containsExactly("/ipfs/ping/1.0.0");
    }

    @Test
    void splitMessagesAreMergedAsGoLibp2pSendsThem() {
        ByteBuf buf = Unpooled.buffer();
        append(buf, Identify.newBuilder().setProtocolVersion("ipfs/0.1.0").addProtocols("/a").build());
        append(buf, Identify.newBuilder().addProtocols("/b").build());
        Identify m = IdentifyMessageReader.decode(buf);
        assertThat(m.getProtocolVersion()).isEqualTo("ipfs/0.1.0");
        assertThat(m.getProtocolsList()).containsExactly("/a", "/b");
    }

    @Test
    void truncatedOrEmptyStreamsAreRejected() {
        ByteBuf truncated = Unpooled.buffer();
        Varint.write(10, truncated);
        truncated.writeBytes(new byte[3]);
        assertThatThrownBy(() -> IdentifyMessageReader.decode(truncated)).isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> IdentifyMessageReader.decode(Unpooled.EMPTY_BUFFER)).isInstanceOf(DecodingException.class);
    }

    @Test
    void garbageProtobufIsRejected() {
        ByteBuf buf = Unpooled.buffer();
        Varint.write(3, buf);
        buf.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertThatThrownBy(() -> IdentifyMessageReader.decode(buf)).isInstanceOf(DecodingException.class).hasMessageContaining("malformed");
    }
}
