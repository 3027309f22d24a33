package io.omnipeer.muxer.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Bytes to {@link YamuxFrame}s. Spec: libp2p/specs yamux/README.md, "Framing".
 *
 * <p>Rejects, with a {@link YamuxProtocolException} (the session then sends Go Away and closes): a version other
 * than 0, an unknown type, and a Data payload longer than {@link #MAX_DATA_LENGTH}. Once it has failed it discards
 * everything that follows. One instance per connection.
 */
public final class YamuxFrameDecoder extends ByteToMessageDecoder {
    /**
     * Largest Data payload accepted: our receive window per stream. We never grant more than
     * {@link YamuxSession#INITIAL_WINDOW} ("Flow Control"), so a longer frame overruns any window.
     */
    public static final int MAX_DATA_LENGTH = YamuxSession.INITIAL_WINDOW;

    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
            int start = in.readerIndex();
            int version = in.getUnsignedByte(start);
            int typeCode = in.getUnsignedByte(start + 1);
            int flags = in.getUnsignedShort(start + 2);
            int streamId = in.getInt(start + 4);
            long length = in.getUnsignedInt(start + 8);
            if (version != YamuxFrame.VERSION) {
                throw fail(in, "unsupported yamux version " + version);
            }
            YamuxFrame.Type type = YamuxFrame.Type.of(typeCode);
            if (type == null) {
                throw fail(in, "unknown yamux frame type " + typeCode);
            }
            if (type != YamuxFrame.Type.DATA) {
                in.skipBytes(YamuxFrame.HEADER_LENGTH);
                out.add(new YamuxFrame(type, flags, streamId, length, Unpooled.EMPTY_BUFFER));
                continue;
            }
            if (length > MAX_DATA_LENGTH) {
                throw fail(in, "data frame of " + length + " bytes exceeds " + MAX_DATA_LENGTH);
            }
            if (in.readableBytes() < YamuxFrame.HEADER_LENGTH + length) {
                return;
            }
            in.skipBytes(YamuxFrame.HEADER_LENGTH);
            out.add(YamuxFrame.data(streamId, flags, in.readRetainedSlice((int) length)));
        }
    }

    private YamuxProtocolException fail(ByteBuf in, String reason) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return new YamuxProtocolException(reason);
    }
}
