package io.omnipeer.muxer.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCounted;

/**
 * One yamux frame: the 12-byte header (version, type, flags, stream id, length) and, for Data frames, the
 * payload. Spec: libp2p/specs yamux/README.md, "Framing" (verbatim hashicorp/yamux spec.md).
 *
 * <p>{@code length} is the payload length for Data, the window delta for Window Update, the opaque value for
 * Ping and the error code for Go Away — an unsigned 32-bit value held in a {@code long}. A Data frame owns one
 * reference to {@code data}; whoever consumes the frame releases it. Immutable apart from that buffer.
 *
 * @param type      frame type
 * @param flags     bit set of {@link #SYN}, {@link #ACK}, {@link #FIN}, {@link #RST}
 * @param streamId  unsigned 32-bit stream id held in an {@code int}; 0 addresses the session
 * @param length    see above, in [0, 2^32-1]
 * @param data      payload of a Data frame (readable bytes == length); empty for other types
 */
public record YamuxFrame(Type type, int flags, int streamId, long length, ByteBuf data) implements ReferenceCounted {
    /** Header size in bytes. */
    public static final int HEADER_LENGTH = 12;
    /** The only protocol version ("Version Field"). */
    public static final int VERSION = 0;
    public static final int SYN = 0x1;
    public static final int ACK = 0x2;
    public static final int FIN = 0x4;
    public static final int RST = 0x8;
    /** Largest value of the 32-bit length field. */
    public static final long MAX_LENGTH = 0xFFFF_FFFFL;

    /** "Type Field". */
    public enum Type {
        DATA, WINDOW_UPDATE, PING, GO_AWAY;

        private static final Type[] VALUES = values();

        public int code() {
            return ordinal();
        }

        /** @return the type with wire code {@code code}, or {@code null} if unknown */
        public static Type of(int code) {
            return code >= 0 && code < VALUES.length ? VALUES[code] : null;
        }
    }

    /** Go Away error codes ("Session termination"). */
    public static final long GO_AWAY_NORMAL = 0;
    public static final long GO_AWAY_PROTOCOL_ERROR = 1;
    public static final long GO_AWAY_INTERNAL_ERROR = 2;

    public YamuxFrame {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("yamux length field out of range: " + length);
        }
        if (type == Type.DATA && data.readableBytes() != length) {
            throw new IllegalArgumentException("data frame length " + length + " != payload " + data.readableBytes());
        }
    }

    /** Data frame on {@code streamId}; takes ownership of {@code data}. */
    public static YamuxFrame data(int streamId, int flags, ByteBuf data) {
        return new YamuxFrame(Type.DATA, flags, streamId, data.readableBytes(), data);
    }

    /** Window Update frame granting {@code delta} more bytes (0 with SYN/ACK/FIN/RST to signal only flags). */
    public static YamuxFrame windowUpdate(int streamId, int flags, long delta) {
        return new YamuxFrame(Type.WINDOW_UPDATE, flags, streamId, delta, Unpooled.EMPTY_BUFFER);
    }

    /** Ping on stream 0: {@link #SYN} asks, {@link #ACK} answers with the same opaque value. */
    public static YamuxFrame ping(int flags, long opaque) {
        return new YamuxFrame(Type.PING, flags, 0, opaque, Unpooled.EMPTY_BUFFER);
    }

    /** Go Away on stream 0 with {@code errorCode}. */
    public static YamuxFrame goAway(long errorCode) {
        return new YamuxFrame(Type.GO_AWAY, 0, 0, errorCode, Unpooled.EMPTY_BUFFER);
    }

    public boolean hasFlag(int flag) {
        return (flags & flag) != 0;
    }

    @Override
    public int refCnt() {
        return data.refCnt();
    }

    @Override
    public YamuxFrame retain() {
        data.retain();
        return this;
    }

    @Override
    public YamuxFrame retain(int increment) {
        data.retain(increment);
        return this;
    }

    @Override
    public YamuxFrame touch() {
        data.touch();
        return this;
    }

    @Override
    public YamuxFrame touch(Object hint) {
        data.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return data.release();
    }

    @Override
    public boolean release(int decrement) {
        return data.release(decrement);
    }

    @Override
    public String toString() {
        return "YamuxFrame[" + type + " flags=" + flags + " stream=" + Integer.toUnsignedString(streamId) + " length=" + length + "]";
    }
}
