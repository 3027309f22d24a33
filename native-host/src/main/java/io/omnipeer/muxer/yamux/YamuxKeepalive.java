package io.omnipeer.muxer.yamux;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keepalive of a yamux session: every {@code interval} it sends a Ping (SYN) with a fresh opaque value; if the
 * previous ping is still unanswered by then, the peer is considered gone and {@code onTimeout} runs. A peer that
 * vanished without closing TCP is thus dropped within two intervals. Spec: libp2p/specs yamux/README.md, "Type
 * Field" (Ping: "heart-beat and do keep-alives over TCP"). Event-loop confined.
 */
final class YamuxKeepalive {
    private final Duration interval;
    private ScheduledFuture<?> task;
    private long nextOpaque = 1;
    private long outstanding = -1;

    YamuxKeepalive(Duration interval) {
        this.interval = interval;
    }

    void start(ChannelHandlerContext ctx, Runnable onTimeout) {
        if (task != null) {
            return;
        }
        long ms = interval.toMillis();
        task = ctx.executor().scheduleAtFixedRate(() -> {
            if (outstanding >= 0) {
                stop();
                onTimeout.run();
                return;
            }
            outstanding = nextOpaque;
            nextOpaque = (nextOpaque + 1) & YamuxFrame.MAX_LENGTH;
            ctx.writeAndFlush(YamuxFrame.ping(YamuxFrame.SYN, outstanding));
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** The peer answered a ping of ours. */
    void onAck(long opaque) {
        if (opaque == outstanding) {
            outstanding = -1;
        }
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
