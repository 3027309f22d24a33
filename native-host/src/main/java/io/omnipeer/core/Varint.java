package io.omnipeer.core;

import io.netty.buffer.ByteBuf;

/**
 * Unsigned LEB128 varints as used across libp2p.
 * Spec: multiformats/unsigned-varint README, "Practical maximum of 9 bytes" and "Must be minimally encoded".
 *
 * <p>Values are {@code long}s in [0, 2^63-1]; a varint is at most {@link #MAX_BYTES} bytes; a
 * non-minimal encoding (trailing 0x00 group) is rejected. Stateless and thread-safe.
 */
public final class Varint {
    /** multiformats unsigned-varint "practical maximum": 9 bytes carry 63 bits. */
    public static final int MAX_BYTES = 9;

    private Varint() {
    }

    /** Number of bytes {@link #encode(long)} produces for {@code v} (1..9). */
    public static int encodedLength(long v) {
        checkValue(v);
        int n = 1;
        while ((v >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /**
     * Encodes {@code v}.
     * @throws IllegalArgumentException if {@code v} is negative (beyond 2^63-1 as unsigned)
     */
    public static byte[] encode(long v) {
        byte[] out = new byte[encodedLength(v)];
        int i = 0;
        while ((v & ~0x7FL) != 0) {
            out[i++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[i] = (byte) v;
        return out;
    }

    /** Writes {@code v} at the writer index of {@code out}. @throws IllegalArgumentException if negative. */
    public static void write(long v, ByteBuf out) {
        checkValue(v);
        while ((v & ~0x7FL) != 0) {
            out.writeByte((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.writeByte((int) v);
    }

    /**
     * Reads one varint from {@code in}.
     * @return the value, or -1 with the reader index unchanged if {@code in} ends before the varint does
     * @throws DecodingException if longer than {@link #MAX_BYTES} or not minimally encoded
     */
    public static long read(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (start + i >= end) {
                return -1;
            }
            int b = in.getByte(start + i) & 0xFF;
            value |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new DecodingException("varint is not minimally encoded");
                }
                in.readerIndex(start + i + 1);
                return value;
            }
        }
        throw new DecodingException("varint longer than " + MAX_BYTES + " bytes");
    }

    /**
     * Decodes one varint from {@code b} starting at {@code offset[0]} and advances {@code offset[0]} past it.
     * @throws DecodingException if truncated, longer than {@link #MAX_BYTES} or not minimally encoded
     */
    public static long decode(byte[] b, int[] offset) {
        int start = offset[0];
        long value = 0;
        for (int i = 0; i < MAX_BYTES; i++) {
            if (start + i >= b.length) {
                throw new DecodingException("truncated varint");
            }
            int x = b[start + i] & 0xFF;
            value |= (long) (x & 0x7F) << (7 * i);
            if ((x & 0x80) == 0) {
                if (x == 0 && i > 0) {
                    throw new DecodingException("varint is not minimally encoded");
                }
                offset[0] = start + i + 1;
                return value;
            }
        }
        throw new DecodingException("varint longer than " + MAX_BYTES + " bytes");
    }

    private static void checkValue(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("varint value out of range [0, 2^63-1]: " + Long.toUnsignedString(v));
        }
    }
}
