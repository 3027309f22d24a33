package io.omnipeer.protocol.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteOrder;

/**
 * Chromium native-messaging framing on the shim's stdin/stdout: a 4-byte length in native byte order
 * (little-endian on every platform Omnipeer supports), then UTF-8 JSON.
 *
 * <p>Host→browser messages are capped at {@link #MAX_HOST_TO_BROWSER_BYTES}: Chromium closes the port on
 * anything larger, so bigger messages go through {@link NativeMessagingChunks}. Browser→host messages are
 * read up to {@link ControlFrames#MAX_PAYLOAD_BYTES} because each is relayed as one control frame.
 * Spec: Chrome "Native messaging", section "Native messaging protocol"; DESIGN.md (1,048,576 bytes measured).
 */
public final class NativeMessagingFrames {
    /** Chromium's host→browser limit: 1,048,576 bytes pass, one more kills the port. */
    public static final int MAX_HOST_TO_BROWSER_BYTES = 1_048_576;
    /** Browser→host messages accepted by the shim: one control frame's worth. */
    public static final int MAX_BROWSER_TO_HOST_BYTES = ControlFrames.MAX_PAYLOAD_BYTES;

    private NativeMessagingFrames() {
    }

    /**
     * Reads one browser→host message.
     *
     * @return the payload, or null on clean end of stream (the browser closed the port)
     * @throws FrameException if the declared length exceeds {@link #MAX_BROWSER_TO_HOST_BYTES} or the stream ends mid-frame
     */
    public static byte[] read(InputStream in) throws IOException {
        return read(in, MAX_BROWSER_TO_HOST_BYTES);
    }

    /** Reads one frame with an explicit limit (a test harness reads host→browser frames with 1 MiB). */
    public static byte[] read(InputStream in, int maxLength) throws IOException {
        return LengthPrefix.read(in, ByteOrder.LITTLE_ENDIAN, maxLength, "native-messaging frame");
    }

    /** Header + payload. @throws FrameException if the payload exceeds {@code maxLength} */
    public static byte[] encode(byte[] payload, int maxLength) throws FrameException {
        return LengthPrefix.encode(payload, ByteOrder.LITTLE_ENDIAN, maxLength, "native-messaging frame");
    }

    /**
     * Writes and flushes one host→browser message.
     *
     * @throws FrameException if the payload exceeds {@link #MAX_HOST_TO_BROWSER_BYTES} (chunk it first)
     */
    public static void writeToBrowser(OutputStream out, byte[] payload) throws IOException {
        LengthPrefix.write(out, payload, ByteOrder.LITTLE_ENDIAN, MAX_HOST_TO_BROWSER_BYTES, "native-messaging frame");
    }

    /** Writes and flushes one browser→host message (used by test harnesses that play the browser). */
    public static void writeToHost(OutputStream out, byte[] payload) throws IOException {
        LengthPrefix.write(out, payload, ByteOrder.LITTLE_ENDIAN, MAX_BROWSER_TO_HOST_BYTES, "native-messaging frame");
    }
}
