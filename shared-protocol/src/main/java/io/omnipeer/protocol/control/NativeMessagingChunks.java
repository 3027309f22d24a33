package io.omnipeer.protocol.control;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Splits a host→browser JSON message that is larger than {@link NativeMessagingFrames#MAX_HOST_TO_BROWSER_BYTES}
 * into chunk messages {@code {"chunk":{"id":"<uuid>","index":i,"count":n,"data":"<slice of the JSON text>"}}},
 * each of which fits the limit after JSON escaping. The service worker concatenates the {@code data} slices in
 * index order and parses the result (see {@link ChunkReassembler} for the Java side).
 *
 * <p>Slices never split a UTF-16 surrogate pair. Stateless, thread-safe. Spec: API.md, "control / bridge protocol".
 */
public final class NativeMessagingChunks {
    private static final String PREFIX = "{\"chunk\":{\"id\":\"";
    private static final String INDEX = "\",\"index\":";
    private static final String COUNT = ",\"count\":";
    private static final String DATA = ",\"data\":\"";
    private static final String SUFFIX = "\"}}";
    /** Room reserved for index and count: up to 10 decimal digits each (any int). */
    private static final int DIGITS = 10;
    private static final int UUID_CHARS = 36;
    /** Envelope bytes around the escaped slice, with room for the widest index and count. */
    static final int ENVELOPE_BYTES = PREFIX.length() + UUID_CHARS + INDEX.length() + DIGITS + COUNT.length()
            + DIGITS + DATA.length() + SUFFIX.length();

    private NativeMessagingChunks() {
    }

    /**
     * The native-messaging payloads to send for one JSON message: the message itself when it is at most
     * {@link NativeMessagingFrames#MAX_HOST_TO_BROWSER_BYTES} bytes, else its chunk messages in order.
     *
     * @param utf8Json one complete JSON message (UTF-8)
     */
    public static List<byte[]> split(byte[] utf8Json) {
        return split(utf8Json, NativeMessagingFrames.MAX_HOST_TO_BROWSER_BYTES);
    }

    /** As {@link #split(byte[])} with an explicit limit per payload (must leave room for the envelope). */
    public static List<byte[]> split(byte[] utf8Json, int maxPayloadBytes) {
        if (utf8Json.length <= maxPayloadBytes) {
            return List.of(utf8Json);
        }
        int budget = maxPayloadBytes - ENVELOPE_BYTES;
        if (budget < 12) {
            throw new IllegalArgumentException("limit " + maxPayloadBytes + " leaves no room for chunk data");
        }
        String text = new String(utf8Json, StandardCharsets.UTF_8);
        List<String> slices = new ArrayList<>();
        StringBuilder slice = new StringBuilder();
        int sliceBytes = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int chars = Character.charCount(cp);
            int cost = escapedUtf8Length(cp);
            if (sliceBytes + cost > budget) {
                slices.add(slice.toString());
                slice.setLength(0);
                sliceBytes = 0;
            }
            appendEscaped(slice, cp);
            sliceBytes += cost;
            i += chars;
        }
        slices.add(slice.toString());
        String id = UUID.randomUUID().toString();
        List<byte[]> out = new ArrayList<>(slices.size());
        for (int index = 0; index < slices.size(); index++) {
            String message = PREFIX + id + INDEX + index + COUNT + slices.size() + DATA + slices.get(index) + SUFFIX;
            out.add(message.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Bytes the code point takes inside a JSON string literal, UTF-8 encoded. */
    static int escapedUtf8Length(int cp) {
        if (cp == '"' || cp == '\\') {
            return 2;
        }
        if (cp < 0x20) {
            return 6;
        }
        if (cp < 0x80) {
            return 1;
        }
        if (cp < 0x800) {
            return 2;
        }
        if (Character.isSurrogate((char) cp)) {
            return 6; // a lone surrogate cannot be UTF-8 encoded: written as a \\uXXXX escape
        }
        return cp < 0x10000 ? 3 : 4;
    }

    private static void appendEscaped(StringBuilder out, int cp) {
        if (cp == '"' || cp == '\\') {
            out.append('\\').append((char) cp);
        } else if (cp < 0x20 || (cp < 0x10000 && Character.isSurrogate((char) cp))) {
            out.append(String.format("\\u%04x", cp));
        } else {
            out.appendCodePoint(cp);
        }
    }
}
