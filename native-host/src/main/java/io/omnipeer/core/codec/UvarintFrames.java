package io.omnipeer.core.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.omnipeer.core.Varint;

/** Builds unsigned-varint-length-prefixed frames, the counterpart of {@link UvarintFrameDecoder}. */
public final class UvarintFrames {
    private UvarintFrames() {
    }

    /** Returns a new buffer holding {@code varint(payload.length) || payload}; the caller owns it. */
    public static ByteBuf frame(ByteBufAllocator alloc, byte[] payload) {
        ByteBuf out = alloc.buffer(Varint.encodedLength(payload.length) + payload.length);
        Varint.write(payload.length, out);
        out.writeBytes(payload);
        return out;
    }
}
