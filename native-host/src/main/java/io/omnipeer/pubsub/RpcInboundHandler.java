package io.omnipeer.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;
import io.omnipeer.core.codec.UvarintFrameDecoder;
import io.omnipeer.pubsub.pb.PubsubProtos.RPC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.function.BiConsumer;

/**
 * Reads uvarint-length-prefixed {@code RPC} protobufs from a peer's inbound pubsub stream and hands each
 * to the router. A frame over the limit, a protobuf that does not parse, or a router
 * {@link io.omnipeer.core.DecodingException} resets this stream only (logged).
 * Spec: libp2p/specs pubsub/README.md, "The RPC".
 */
public final class RpcInboundHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private static final Logger log = LoggerFactory.getLogger(RpcInboundHandler.class);

    private final Stream stream;
    private final BiConsumer<PeerId, RPC> router;

    private RpcInboundHandler(Stream stream, BiConsumer<PeerId, RPC> router) {
        this.stream = stream;
        this.router = router;
    }

    /** Installs the frame decoder (max {@code maxRpcBytes}) and this handler on the stream's pipeline. */
    public static void install(Stream stream, int maxRpcBytes, BiConsumer<PeerId, RPC> router) {
        stream.channel().pipeline().addLast(new UvarintFrameDecoder(maxRpcBytes), new RpcInboundHandler(stream, router));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws IOException {
        RPC rpc = RPC.parseFrom(new ByteBufInputStream(frame));
        router.accept(stream.remotePeer(), rpc);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.info("resetting {} stream from {}: {}", stream.protocol(), stream.remotePeer(), cause.toString());
        stream.reset();
    }
}
