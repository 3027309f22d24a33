package io.omnipeer.rcmgr;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.omnipeer.muxer.yamux.YamuxStreamChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * First inbound handler of every stream: measures received bytes for the stream's app (or the system) and paces
 * their delivery to the protocol's handlers by the app's and the global inbound token buckets; data is never
 * dropped.
 *
 * <p>Bytes that arrive faster than the rate are held here, up to {@link #HOLD_SECONDS} worth of the rate (between
 * {@link #MIN_HOLD} and {@link #MAX_HOLD} bytes, reserved as the stream's memory in its scopes); past that the
 * stream stops reading ({@link YamuxStreamChannel#suspendReading()}), so unread bytes are not credited back and
 * the sender stalls once our receive window is used (libp2p/specs yamux/README.md, "Flow Control"). Holding more
 * than one window keeps the rate when the connection is busy with other streams: a window of 256 KiB alone
 * refills only once per round trip, which behind megabytes of another stream's data in TCP buffers takes longer
 * than the window lasts at the rate. If the memory cannot be reserved the hold is one buffer.
 *
 * <p>Events (such as the peer's FIN, {@code ChannelInputShutdownEvent}) keep their place behind held bytes. With
 * {@code autoRead} off, held bytes are passed on only after the handlers asked with {@code read()}, as the channel
 * itself would. Event-loop confined.
 */
final class InboundThrottle extends ChannelDuplexHandler {
    static final String NAME = "rcmgr-in";
    static final double HOLD_SECONDS = 2;
    static final int MIN_HOLD = 64 * 1024;
    static final int MAX_HOLD = 8 * 1024 * 1024;

    private record Event(Object event) {
    }

    private final Traffic traffic;
    private final GlobalBandwidth globalLimits;
    private final TokenBucket global;
    private final StreamScope scope;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private long heldBytes;
    private long holdLimit = -1;
    private boolean suspended;
    private boolean readRequested;
    private ScheduledFuture<?> resume;

    InboundThrottle(Traffic traffic, GlobalBandwidth global, StreamScope scope) {
        this.traffic = traffic;
        this.globalLimits = global;
        this.global = global.in;
        this.scope = scope;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    private boolean unlimited() {
        return traffic.inBucket.rate() == 0 && global.rate() == 0;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        globalLimits.tick();
        if (held.isEmpty() && unlimited()) {
            if (msg instanceof ByteBuf buf) {
                traffic.in.add(buf.readableBytes());
            }
            ctx.fireChannelRead(msg);
            return;
        }
        held.add(msg);
        if (msg instanceof ByteBuf buf) {
            heldBytes += buf.readableBytes();
        }
        deliver();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (held.isEmpty()) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (held.isEmpty()) {
            ctx.fireUserEventTriggered(evt);
        } else {
            held.add(new Event(evt));
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        readRequested = true;
        if (!held.isEmpty()) {
            deliver();
        }
        ctx.read();
    }

    /** Passes on held messages while the buckets are out of debt; then holds or stops reading. */
    private void deliver() {
        boolean read = false;
        while (!held.isEmpty() && ctx.channel().isOpen() && (readRequested || ctx.channel().config().isAutoRead())) {
            Object head = held.peek();
            if (head instanceof Event e) {
                held.poll();
                ctx.fireUserEventTriggered(e.event());
                continue;
            }
            long wait = Math.max(traffic.inBucket.nanosUntilAvailable(), global.nanosUntilAvailable());
            if (wait > 0) {
                if (resume == null) {
                    resume = ctx.executor().schedule(() -> {
                        resume = null;
                        deliver();
                    }, wait, TimeUnit.NANOSECONDS);
                }
                break;
            }
            held.poll();
            if (head instanceof ByteBuf buf) {
                int n = buf.readableBytes();
                heldBytes -= n;
                traffic.in.add(n);
                traffic.inBucket.take(n);
                global.take(n);
            }
            ctx.fireChannelRead(head);
            read = true;
        }
        if (read) {
            readRequested = false;
            ctx.fireChannelReadComplete();
        }
        setSuspended(heldBytes >= holdLimit());
    }

    /** Bytes we may hold: reserved in the stream's scopes on first use; 0 when memory is short. */
    private long holdLimit() {
        if (holdLimit < 0) {
            long app = traffic.inBucket.rate();
            long g = global.rate();
            long rate = app == 0 ? g : g == 0 ? app : Math.min(app, g);
            long wanted = Math.max(MIN_HOLD, Math.min(MAX_HOLD, (long) (rate * HOLD_SECONDS)));
            try {
                scope.reserveMemory(wanted);
                holdLimit = wanted;
            } catch (ResourceLimitException | IllegalStateException e) {
                holdLimit = 0;
            }
        }
        return holdLimit;
    }

    private void setSuspended(boolean suspend) {
        if (suspend == suspended || !ctx.channel().isOpen()) {
            return;
        }
        suspended = suspend;
        if (ctx.channel() instanceof YamuxStreamChannel stream) {
            if (suspend) {
                stream.suspendReading();
            } else {
                stream.resumeReading();
            }
        } else {
            ctx.channel().config().setAutoRead(!suspend);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (ctx.channel().isOpen()) {
            while (!held.isEmpty()) {
                Object o = held.poll();
                if (o instanceof Event e) {
                    ctx.fireUserEventTriggered(e.event());
                } else {
                    ctx.fireChannelRead(o);
                }
            }
            setSuspended(false);
        }
        discard();
    }

    private void discard() {
        if (resume != null) {
            resume.cancel(false);
            resume = null;
        }
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        heldBytes = 0;
    }
}
