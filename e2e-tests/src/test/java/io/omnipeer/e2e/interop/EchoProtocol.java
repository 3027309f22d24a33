package io.omnipeer.e2e.interop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.core.Host;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.ProtocolHandler;
import io.omnipeer.core.Stream;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The test echo protocol ({@link JsPeer#ECHO_PROTOCOL}) on our host: every byte read is written back,
 * and the write side is closed once the remote closed its own (yamux FIN).
 */
final class EchoProtocol implements ProtocolHandler {

    @Override
    public void handle(Stream stream) {
        stream.channel().pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    stream.closeWrite();
                }
                ctx.fireUserEventTriggered(evt);
            }
        });
    }

    /** Opens the echo protocol to {@code peer}, sends {@code data}, half-closes, returns all read until FIN. */
    static byte[] roundTrip(Host host, PeerId peer, byte[] data, Duration timeout) throws Exception {
        Stream stream = host.newStream(peer, JsPeer.ECHO_PROTOCOL).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<byte[]> done = new CompletableFuture<>();
        ByteBuf acc = Unpooled.buffer();
        stream.channel().pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                acc.writeBytes(b);
                b.release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    byte[] out = new byte[acc.readableBytes()];
                    acc.readBytes(out);
                    done.complete(out);
                    stream.close();
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                done.completeExceptionally(new IllegalStateException("stream closed before FIN, "
                        + acc.readableBytes() + " bytes read"));
            }
        });
        stream.channel().writeAndFlush(Unpooled.wrappedBuffer(data)).addListener(f -> stream.closeWrite());
        try {
            return done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            acc.release();
        }
    }
}
