package io.omnipeer.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * One multiplexed stream of a {@link Connection}, after multistream-select agreed on {@link #protocol()}.
 * It is a Netty child channel with its own pipeline: inbound data arrives as {@code ByteBuf} messages, the peer's
 * half-close as {@code ChannelInputShutdownEvent.INSTANCE}; write {@code ByteBuf}s and follow
 * {@code channel().isWritable()} for backpressure. Spec: libp2p/specs connections/README.md, "Opening new streams
 * over a connection". Thread-safe (operations run on the channel's event loop).
 */
public interface Stream {
    Channel channel();

    /** The negotiated protocol id, e.g. {@code /ipfs/ping/1.0.0}. */
    String protocol();

    PeerId remotePeer();

    Connection connection();

    /** True if this side opened the stream. */
    boolean isInitiator();

    /** Half-close: no more writes from us (yamux FIN after the queued bytes); we can still read. */
    ChannelFuture closeWrite();

    /** Abort both directions at once (yamux RST). */
    void reset();

    /**
     * Close gracefully: send what is queued, then FIN, then close the channel (inbound bytes after that are
     * dropped); the stream is reset if this cannot finish within the muxer's close timeout (10 s).
     * @return completes when the channel is closed
     */
    ChannelFuture close();
}
