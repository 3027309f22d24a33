package io.omnipeer.protocol.identify;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Stream;
import io.omnipeer.core.Varint;
import io.omnipeer.protocol.identify.pb.IdentifyProtos.Identify;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the Identify message(s) of one stream: uvarint-length-prefixed protobufs until the peer's FIN, merged
 * into one message (go-libp2p may split a large message in several). At most
 * {@link IdentifyService#MAX_MESSAGE_LENGTH} bytes in all; more, or malformed bytes, fail the future and reset
 * the stream. Spec: libp2p/specs identify/README.md. Event-loop confined; one per stream.
 */
final class IdentifyMessageReader extends ChannelInboundHandlerAdapter {
    private final Stream stream;
    private final CompletableFuture<Identify> result = new CompletableFuture<>();
    private CompositeByteBuf received;

    IdentifyMessageReader(Stream stream) {
        this.stream = stream;
    }

    CompletableFuture<Identify> result() {
        return result;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        received = ctx.alloc().compositeBuffer();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        if (result.isDone()) {
            buf.release();
            return;
        }
        if (received.readableBytes() + buf.readableBytes() > IdentifyService.MAX_MESSAGE_LENGTH) {
            buf.release();
            fail(ctx, new DecodingException("identify message longer than " + IdentifyService.MAX_MESSAGE_LENGTH + " bytes"));
            return;
        }
        received.addComponent(true, buf);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            finish(ctx);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!result.isDone()) {
            result.completeExceptionally(new DecodingException("identify stream closed before the peer's FIN"));
        }
        ctx.fireChannelInactive();
    }

    private void finish(ChannelHandlerContext ctx) {
        if (result.isDone()) {
            return;
        }
        try {
            result.complete(decode(received));
            ctx.close();
        } catch (DecodingException e) {
            fail(ctx, e);
        }
    }

    /** Decodes and merges every length-prefixed message in {@code in}. */
    static Identify decode(ByteBuf in) {
        Identify.Builder merged = Identify.newBuilder();
        boolean any = false;
        while (in.isReadable()) {
            long length = Varint.read(in);
            if (length < 0 || length > in.readableBytes()) {
                throw new DecodingException("truncated identify message");
            }
            byte[] body = new byte[(int) length];
            in.readBytes(body);
            try {
                merged.mergeFrom(body);
            } catch (InvalidProtocolBufferException e) {
                throw new DecodingException("malformed identify protobuf: " + e.getMessage(), e);
            }
            any = true;
        }
        if (!any) {
            throw new DecodingException("identify stream ended without a message");
        }
        return merged.build();
    }

    private void fail(ChannelHandlerContext ctx, DecodingException e) {
        if (result.completeExceptionally(e)) {
            stream.reset();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (received != null) {
            received.release();
            received = null;
        }
    }
}
