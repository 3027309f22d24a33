package io.omnipeer.core.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Varint;

import java.util.List;

/**
 * Splits a byte stream into frames prefixed by an unsigned varint length, the framing libp2p uses for
 * protobuf messages on a stream (identify, pubsub, kad). Emits one retained {@link ByteBuf} per frame,
 * without the prefix.
 *
 * <p>Bounded: a frame longer than {@code maxFrameBytes} raises {@link DecodingException}, which the
 * stream's exception handler turns into a reset of that stream only. Not sharable: one per pipeline.
 */
public final class UvarintFrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;

    /** @param maxFrameBytes largest frame payload accepted, in bytes (> 0) */
    public UvarintFrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            long length = Varint.read(in);
            if (length < 0) {
                return;
            }
            if (length > maxFrameBytes) {
                throw new DecodingException("frame of " + length + " bytes exceeds the limit of " + maxFrameBytes);
            }
            if (in.readableBytes() < length) {
                in.readerIndex(start);
                return;
            }
            out.add(in.readRetainedSlice((int) length));
        }
    }
}
