package io.omnipeer.pubsub.gossipsub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.omnipeer.core.Stream;
import io.omnipeer.core.codec.UvarintFrameDecoder;
import io.omnipeer.core.codec.UvarintFrames;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.pubsub.pb.PubsubProtos.Message;
import io.omnipeer.pubsub.pb.PubsubProtos.RPC;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A hand-driven /meshsub/1.1.0 peer for hostile-input tests: writes RPCs we craft, records what it receives. */
final class RawGossipPeer {
    final DefaultHost host;
    final List<RPC> received = new CopyOnWriteArrayList<>();
    private Stream out;

    RawGossipPeer(DefaultHost host) {
        this.host = host;
        host.setStreamHandler(GossipRouter.MESHSUB_V11, stream -> stream.channel().pipeline().addLast(
                new UvarintFrameDecoder(4 << 20), new SimpleChannelInboundHandler<ByteBuf>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) throws IOException {
                        received.add(RPC.parseFrom(new ByteBufInputStream(frame)));
                    }
                }));
    }

    void openTo(DefaultHost victim) throws Exception {
        LoopbackNet.connect(host, victim);
        out = host.newStream(victim.peerId(), GossipRouter.MESHSUB_V11).get(10, TimeUnit.SECONDS);
    }

    void send(RPC rpc) {
        sendRaw(rpc.toByteArray());
    }

    /** Writes one frame; a write failing because the victim reset the stream is expected in hostile tests. */
    void sendRaw(byte[] payload) {
        out.channel().writeAndFlush(UvarintFrames.frame(out.channel().alloc(), payload)).awaitUninterruptibly();
    }

    boolean streamOpen() {
        return out.channel().isActive();
    }

    List<Message> messages() {
        return received.stream().flatMap(r -> r.getPublishList().stream()).toList();
    }

    long prunes(String topic) {
        return received.stream().filter(RPC::hasControl).flatMap(r -> r.getControl().getPruneList().stream())
                .filter(p -> p.getTopicID().equals(topic)).count();
    }
}
