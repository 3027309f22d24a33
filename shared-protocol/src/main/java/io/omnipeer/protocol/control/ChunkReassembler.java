package io.omnipeer.protocol.control;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Receiving side of {@link NativeMessagingChunks}: collects chunk messages by id and yields the original JSON
 * text once all {@code count} slices arrived. Messages that are not chunks pass straight through.
 *
 * <p>Bounded: at most {@link #MAX_PENDING_MESSAGES} partially received messages, each at most
 * {@link ControlFrames#MAX_PAYLOAD_BYTES} characters; chunks must arrive in index order (a native-messaging
 * port preserves order). Not thread-safe: one instance per port.
 */
public final class ChunkReassembler {
    /** Interleaved chunked messages in flight; the daemon sends them one after another, so 4 is ample. */
    public static final int MAX_PENDING_MESSAGES = 4;

    private final Map<String, Partial> pending = new LinkedHashMap<>();

    private static final class Partial {
        final StringBuilder text = new StringBuilder();
        int nextIndex;
    }

    /**
     * Feeds one received host→browser payload.
     *
     * @return the complete message (UTF-8 JSON) when {@code payload} was a plain message or the last chunk;
     * empty while chunks are outstanding
     * @throws IOException if the payload is not JSON or the chunk is malformed, out of order or over a limit
     */
    public Optional<byte[]> accept(byte[] payload) throws IOException {
        JsonNode tree = JsonRpcCodec.mapper().readTree(payload);
        JsonNode chunk = tree == null ? null : tree.get("chunk");
        if (chunk == null || tree.size() != 1) {
            return Optional.of(payload);
        }
        String id = chunk.path("id").asText("");
        int index = chunk.path("index").asInt(-1);
        int count = chunk.path("count").asInt(-1);
        JsonNode data = chunk.get("data");
        if (id.isEmpty() || count < 1 || index < 0 || index >= count || data == null || !data.isTextual()) {
            throw new IOException("malformed chunk message");
        }
        Partial partial = pending.get(id);
        if (partial == null) {
            if (pending.size() >= MAX_PENDING_MESSAGES) {
                throw new IOException("more than " + MAX_PENDING_MESSAGES + " chunked messages in flight");
            }
            partial = new Partial();
            pending.put(id, partial);
        }
        if (index != partial.nextIndex) {
            pending.remove(id);
            throw new IOException("chunk " + index + " of " + id + " arrived, expected " + partial.nextIndex);
        }
        partial.nextIndex++;
        StringBuilder text = partial.text;
        text.append(data.textValue());
        if (text.length() > ControlFrames.MAX_PAYLOAD_BYTES) {
            pending.remove(id);
            throw new IOException("chunked message " + id + " exceeds " + ControlFrames.MAX_PAYLOAD_BYTES);
        }
        if (index == count - 1) {
            pending.remove(id);
            return Optional.of(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        return Optional.empty();
    }
}
