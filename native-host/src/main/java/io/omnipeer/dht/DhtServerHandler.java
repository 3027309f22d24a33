package io.omnipeer.dht;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Stream;
import io.omnipeer.core.codec.UvarintFrames;
import io.omnipeer.dht.pb.DhtProtos.Message;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one inbound {@code /ipfs/kad/1.0.0} stream: each uvarint-prefixed frame (split and bounded by the
 * {@code UvarintFrameDecoder} before it) is one request, answered in order on the same stream; several requests per
 * stream are allowed (kad-dht/README.md, "RPC messages": "Implementations must handle additional RPC request messages
 * on an incoming stream"). The peer's half-close ends the stream. A malformed or invalid request, an oversized frame
 * or an idle stream resets this stream only, with a logged reason. Event-loop confined; one per stream.
 */
final class DhtServerHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DhtServerHandler.class);

    private final Stream stream;
    private final Kademlia dht;
    private final Runnable onClose;

    DhtServerHandler(Stream stream, Kademlia dht, Runnable onClose) {
        this.stream = stream;
        this.dht = dht;
        this.onClose = onClose;
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
        Message request = DhtCodec.decode(payload);
        Optional<Message> answer = dht.handle(stream.remotePeer(), request);
        answer.ifPresent(a -> ctx.writeAndFlush(UvarintFrames.frame(ctx.alloc(), DhtCodec.encode(a))));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ChannelInputShutdownEvent.INSTANCE) {
            stream.close();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ReadTimeoutException) {
            LOG.debug("kad stream from {} idle, closing", stream.remotePeer());
        } else if (cause instanceof DecodingException || cause instanceof IllegalArgumentException) {
            LOG.info("kad request from {} rejected, stream reset: {}", stream.remotePeer(), cause.getMessage());
        } else {
            LOG.warn("kad stream from {} failed, stream reset: {}", stream.remotePeer(), cause.toString());
        }
        stream.reset();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        onClose.run();
        ctx.fireChannelInactive();
    }
}
