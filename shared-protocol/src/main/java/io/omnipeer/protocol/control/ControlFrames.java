package io.omnipeer.protocol.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;

/**
 * Control socket framing: a 4-byte big-endian unsigned length, then that many bytes of UTF-8 JSON
 * (one {@link JsonRpcMessage}). Used between the CLI or the native-messaging shim and the daemon.
 *
 * <p>Blocking, stateless, thread-safe; callers serialize writes to one stream themselves.
 * Spec: API.md, "control / bridge protocol".
 */
public final class ControlFrames {
    /** Largest payload in either direction: 16 MiB, far above any message but bounded (STYLE.md #5). */
    public static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

    private ControlFrames() {
    }

    /**
     * Reads one frame's payload.
     *
     * @return the payload, or null if the stream ended cleanly before a frame started
     * @throws FrameException if the declared length exceeds {@link #MAX_PAYLOAD_BYTES} or the stream ends mid-frame
     */
    public static byte[] read(InputStream in) throws IOException {
        return LengthPrefix.read(in, ByteOrder.BIG_ENDIAN, MAX_PAYLOAD_BYTES, "control frame");
    }

    /** Header + payload as one array. @throws FrameException if the payload exceeds {@link #MAX_PAYLOAD_BYTES} */
    public static byte[] encode(byte[] payload) throws FrameException {
        return LengthPrefix.encode(payload, ByteOrder.BIG_ENDIAN, MAX_PAYLOAD_BYTES, "control frame");
    }

    /** Writes and flushes one frame. @throws FrameException if the payload exceeds {@link #MAX_PAYLOAD_BYTES} */
    public static void write(OutputStream out, byte[] payload) throws IOException {
        LengthPrefix.write(out, payload, ByteOrder.BIG_ENDIAN, MAX_PAYLOAD_BYTES, "control frame");
    }
}
