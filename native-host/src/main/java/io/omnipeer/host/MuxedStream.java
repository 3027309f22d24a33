package io.omnipeer.host;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.ScheduledFuture;
import io.omnipeer.muxer.yamux.YamuxSession;
import java.util.concurrent.TimeUnit;
import io.omnipeer.core.Connection;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;
import io.omnipeer.muxer.yamux.YamuxStreamChannel;

/** A {@link Stream} backed by a {@link YamuxStreamChannel}. Immutable; the channel is thread-safe. */
final class MuxedStream implements Stream {
    private final YamuxStreamChannel channel;
    private final String protocol;
    private final Connection connection;

    MuxedStream(YamuxStreamChannel channel, String protocol, Connection connection) {
        this.channel = channel;
        this.protocol = protocol;
        this.connection = connection;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public PeerId remotePeer() {
        return connection.remotePeer();
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public boolean isInitiator() {
        return channel.isInitiator();
    }

    /**
     * Sends FIN after every byte written before this call, including bytes a handler still holds back (the
     * resource manager's pacing): an empty write goes through the pipeline first as a barrier.
     */
    @Override
    public ChannelFuture closeWrite() {
        ChannelPromise done = channel.newPromise();
        afterWrites(() -> channel.closeWrite().addListener(f -> {
            if (f.isSuccess()) {
                done.trySuccess();
            } else {
                done.tryFailure(f.cause());
            }
        }));
        return done;
    }

    private void afterWrites(Runnable then) {
        if (!channel.isOpen()) {
            then.run();
            return;
        }
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> then.run());
    }

    @Override
    public void reset() {
        channel.reset();
    }

    /**
     * Sends what is queued, then FIN, then closes the channel; resets the stream if that has not happened within
     * {@link YamuxSession#CLOSE_TIMEOUT} (a peer that never opens its window).
     */
    @Override
    public ChannelFuture close() {
        ChannelPromise done = channel.newPromise();
        ScheduledFuture<?> deadline = channel.eventLoop().schedule(channel::reset,
                YamuxSession.CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> {
            deadline.cancel(false);
            done.trySuccess();
        });
        closeWrite().addListener(f -> channel.close());
        return done;
    }

    @Override
    public String toString() {
        return "Stream[" + protocol + " " + channel + "]";
    }
}
