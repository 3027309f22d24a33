package io.omnipeer.dht;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Stream;
import io.omnipeer.dht.pb.DhtProtos.Message;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the single answer to our request on an outbound {@code /ipfs/kad/1.0.0} stream, then closes the stream.
 * A malformed answer (bounded by {@link DhtCodec}) or a stream that ends first fails {@link #answer()} and resets
 * the stream. Event-loop confined; one per stream.
 */
final class DhtClientHandler extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<Message> answer = new CompletableFuture<>();
    private Stream stream;

    CompletableFuture<Message> answer() {
        return answer;
    }

    void attach(Stream s) {
        this.stream = s;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        byte[] payload;
        try {
            payload = ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
        if (answer.isDone()) {
            return;
        }
        answer.complete(DhtCodec.decode(payload));
        stream.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = cause instanceof DecodingException ? cause : new IOException("kad stream failed", cause);
        if (answer.completeExceptionally(reason) && stream != null) {
            stream.reset();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        answer.completeExceptionally(new IOException("kad stream closed before an answer"));
        ctx.fireChannelInactive();
    }
}
