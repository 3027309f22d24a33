package io.omnipeer.protocol.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Shared blocking reader/writer for 4-byte length-prefixed frames in either byte order. */
final class LengthPrefix {
    static final int HEADER_BYTES = 4;

    private LengthPrefix() {
    }

    /** Reads one frame; null on end of stream before the first header byte. */
    static byte[] read(InputStream in, ByteOrder order, int maxLength, String kind) throws IOException {
        byte[] header = new byte[HEADER_BYTES];
        int got = in.readNBytes(header, 0, HEADER_BYTES);
        if (got == 0) {
            return null;
        }
        if (got < HEADER_BYTES) {
            throw new FrameException(kind + ": stream ended inside the 4-byte length header");
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(header).order(order).getInt());
        if (length > maxLength) {
            throw new FrameException(kind + ": declared length " + length + " bytes exceeds the limit of "
                    + maxLength + " bytes");
        }
        byte[] payload = new byte[(int) length];
        if (in.readNBytes(payload, 0, payload.length) < payload.length) {
            throw new FrameException(kind + ": stream ended inside a " + length + "-byte frame");
        }
        return payload;
    }

    static byte[] encode(byte[] payload, ByteOrder order, int maxLength, String kind) throws FrameException {
        if (payload.length > maxLength) {
            throw new FrameException(kind + ": payload of " + payload.length + " bytes exceeds the limit of "
                    + maxLength + " bytes");
        }
        ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + payload.length).order(order);
        frame.putInt(payload.length).put(payload);
        return frame.array();
    }

    static void write(OutputStream out, byte[] payload, ByteOrder order, int maxLength, String kind)
            throws IOException {
        out.write(encode(payload, order, maxLength, kind));
        out.flush();
    }

}
