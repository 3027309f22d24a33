package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.omnipeer.core.DecodingException;
import io.omnipeer.dht.pb.DhtProtos.Message;
import org.junit.jupiter.api.Test;

class DhtCodecTest {
    @Test
    void roundTripsFindNode() {
        Message m = Message.newBuilder().setType(Message.MessageType.FIND_NODE)
                .setKey(ByteString.copyFromUtf8("k"))
                .addCloserPeers(Message.Peer.newBuilder().setId(ByteString.copyFrom(new byte[] {0, 1, 2})))
                .build();
        assertThat(DhtCodec.decode(DhtCodec.encode(m))).isEqualTo(m);
    }

    @Test
    void rejectsGarbageOversizedAndTooManyPeers() {
        assertThatThrownBy(() -> DhtCodec.decode(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .isInstanceOf(DecodingException.class);
        assertThatThrownBy(() -> DhtCodec.decode(new byte[DhtCodec.MAX_MESSAGE_BYTES + 1]))
                .isInstanceOf(DecodingException.class).hasMessageContaining("exceeds");
        Message.Builder b = Message.newBuilder().setType(Message.MessageType.GET_PROVIDERS);
        for (int i = 0; i <= DhtCodec.MAX_PEERS; i++) {
            b.addProviderPeers(Message.Peer.newBuilder().setId(ByteString.copyFrom(new byte[] {(byte) i})));
        }
        byte[] tooMany = b.build().toByteArray();
        assertThatThrownBy(() -> DhtCodec.decode(tooMany)).isInstanceOf(DecodingException.class)
                .hasMessageContaining("providerPeers");
    }
}
