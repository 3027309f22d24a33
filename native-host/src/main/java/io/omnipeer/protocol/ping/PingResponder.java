package io.omnipeer.protocol.ping;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.core.Stream;

/**
 * Listener side of ping: echoes every complete {@link PingService#PAYLOAD_LENGTH}-byte payload, as many as the
 * dialer sends, and closes after the dialer's FIN. Stops reading while its echoes are not written (so a peer that
 * does not read cannot make us queue without bound). Spec: libp2p/specs ping/ping.md. One per stream.
 */
final class PingResponder extends ChannelInboundHandlerAdapter {
    private final Stream stream;
    private ByteBuf partial;

    PingResponder(Stream stream) {
        this.stream = stream;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        partial = ctx.alloc().buffer(PingService.PAYLOAD_LENGTH);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            while (in.isReadable()) {
                int n = Math.min(in.readableBytes(), PingService.PAYLOAD_LENGTH - partial.readableBytes());
                partial.writeBytes(in, n);
                if (partial.readableBytes() == PingService.PAYLOAD_LENGTH) {
                    ctx.write(partial);
                    partial = ctx.alloc().buffer(PingService.PAYLOAD_LENGTH);
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            ctx.flush();
            stream.close();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.release();
            partial = null;
        }
    }
}
