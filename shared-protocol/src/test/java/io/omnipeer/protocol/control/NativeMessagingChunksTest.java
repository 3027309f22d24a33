package io.omnipeer.protocol.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static io.omnipeer.protocol.control.NativeMessagingFrames.MAX_HOST_TO_BROWSER_BYTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NativeMessagingChunksTest {

    /** A pubsub.message notification whose encoding is exactly {@code size} bytes, data built from {@code unit}. */
    static byte[] messageOfSize(int size, String unit) {
        ObjectNode params = JsonRpcCodec.mapper().createObjectNode().put("topic", "t");
        byte[] empty = encode(params.put("data", ""));
        int unitBytes = encode(params.put("data", unit)).length - empty.length;
        int units = (size - empty.length) / unitBytes;
        String pad = "a".repeat(size - empty.length - units * unitBytes);
        byte[] out = encode(params.put("data", unit.repeat(units) + pad));
        assertThat(out).hasSize(size);
        return out;
    }

    private static byte[] encode(ObjectNode params) {
        return JsonRpcCodec.encode(new JsonRpcMessage.Notification(Methods.PUBSUB_MESSAGE, params.deepCopy()));
    }

    @Test
    void exactlyOneMebibytePassesWhole() {
        byte[] message = messageOfSize(MAX_HOST_TO_BROWSER_BYTES, "x");
        assertThat(NativeMessagingChunks.split(message)).containsExactly(message);
    }

    @Test
    void oneByteMoreIsChunkedAndReassembles() throws Exception {
        byte[] message = messageOfSize(MAX_HOST_TO_BROWSER_BYTES + 1, "x");
        List<byte[]> chunks = NativeMessagingChunks.split(message);
        assertThat(chunks).hasSize(2);
        assertReassembles(chunks, message);
    }

    @Test
    void escapeHeavyAndNonAsciiTextNeverExceedsTheLimit() throws Exception {
        // quotes and backslashes double when escaped again; emoji are surrogate pairs that must not be split
        for (String unit : new String[]{"\\\"", "\u00e9\u4e2d\ud83d\ude00", "\\n\\u0001"}) {
            byte[] message = messageOfSize(3 * MAX_HOST_TO_BROWSER_BYTES + 17, unit);
            List<byte[]> chunks = NativeMessagingChunks.split(message);
            assertThat(chunks).hasSizeGreaterThanOrEqualTo(4);
            assertReassembles(chunks, message);
        }
    }

    @Test
    void chunkMessagesHaveTheDocumentedShape() throws Exception {
        List<byte[]> chunks = NativeMessagingChunks.split(messageOfSize(MAX_HOST_TO_BROWSER_BYTES * 2, "y"));
        for (int i = 0; i < chunks.size(); i++) {
            JsonNode chunk = JsonRpcCodec.mapper().readTree(chunks.get(i)).get("chunk");
            assertThat(chunk.get("id").asText()).hasSize(36);
            assertThat(chunk.get("index").asInt()).isEqualTo(i);
            assertThat(chunk.get("count").asInt()).isEqualTo(chunks.size());
            assertThat(chunk.get("data").isTextual()).isTrue();
        }
    }

    @Test
    void reassemblerRejectsOutOfOrderChunks() throws Exception {
        List<byte[]> chunks = NativeMessagingChunks.split(messageOfSize(MAX_HOST_TO_BROWSER_BYTES * 3, "z"));
        var reassembler = new ChunkReassembler();
        assertThatThrownBy(() -> reassembler.accept(chunks.get(1))).hasMessageContaining("expected 0");
        byte[] plain = "{\"jsonrpc\":\"2.0\",\"method\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(reassembler.accept(plain)).contains(plain);
    }

    private static void assertReassembles(List<byte[]> chunks, byte[] original) throws Exception {
        var reassembler = new ChunkReassembler();
        Optional<byte[]> result = Optional.empty();
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).length).isLessThanOrEqualTo(MAX_HOST_TO_BROWSER_BYTES);
            assertThat(result).isEmpty();
            result = reassembler.accept(chunks.get(i));
        }
        assertThat(result).isPresent();
        assertThat(new String(result.get(), StandardCharsets.UTF_8)).isEqualTo(new String(original, StandardCharsets.UTF_8));
    }
}
