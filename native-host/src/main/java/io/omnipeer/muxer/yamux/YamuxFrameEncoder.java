package io.omnipeer.muxer.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * {@link YamuxFrame}s to bytes: a 12-byte big-endian header followed, for Data frames, by the payload buffer
 * itself (no copy). Spec: libp2p/specs yamux/README.md, "Framing". Stateless and sharable.
 */
@ChannelHandler.Sharable
public final class YamuxFrameEncoder extends MessageToMessageEncoder<YamuxFrame> {
    public YamuxFrameEncoder() {
        super(YamuxFrame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, YamuxFrame frame, List<Object> out) {
        ByteBuf header = ctx.alloc().buffer(YamuxFrame.HEADER_LENGTH);
        writeHeader(frame, header);
        out.add(header);
        if (frame.type() == YamuxFrame.Type.DATA && frame.length() > 0) {
            out.add(frame.data().retain());
        }
    }

    /** Writes the 12-byte header of {@code frame} to {@code out}. */
    public static void writeHeader(YamuxFrame frame, ByteBuf out) {
        out.writeByte(YamuxFrame.VERSION);
        out.writeByte(frame.type().code());
        out.writeShort(frame.flags());
        out.writeInt(frame.streamId());
        out.writeInt((int) frame.length());
    }
}
