package io.omnipeer.pubsub;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;
import io.omnipeer.core.codec.UvarintFrames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link RpcSink} over a negotiated libp2p stream: each RPC is written with its uvarint length prefix; anything
 * the remote writes on our outbound stream is discarded. RPCs to a peer whose unflushed outbound bytes exceed
 * {@link PubsubPeer#MAX_QUEUED_BYTES} are dropped (pubsub delivery is best effort).
 * Spec: libp2p/specs pubsub/README.md, "The RPC" (length-prefixed protobufs). Thread-safe (Netty channel writes).
 */
public final class StreamRpcSink implements RpcSink {
    private static final Logger log = LoggerFactory.getLogger(StreamRpcSink.class);

    private final Channel channel;
    private final String protocol;
    private final PeerId remote;

    /** Takes over {@code stream}: installs a handler that discards inbound bytes. */
    public StreamRpcSink(Stream stream) {
        this.channel = stream.channel();
        this.protocol = stream.protocol();
        this.remote = stream.remotePeer();
        channel.pipeline().addLast(new DiscardInbound());
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public void send(byte[] rpc) {
        if (!channel.isWritable() && channel.bytesBeforeWritable() > PubsubPeer.MAX_QUEUED_BYTES) {
            log.debug("dropping a pubsub RPC to slow peer {}", remote);
            return;
        }
        channel.writeAndFlush(UvarintFrames.frame(channel.alloc(), rpc));
    }

    @Override
    public void close() {
        channel.close();
    }

    /** The remote never writes on our outbound stream; anything it sends is discarded. */
    private static final class DiscardInbound extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
            // released by SimpleChannelInboundHandler
        }
    }
}
