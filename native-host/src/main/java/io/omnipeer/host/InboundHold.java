package io.omnipeer.host;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Holds inbound messages and events of a freshly negotiated outbound stream until the caller of
 * {@code newStream} has installed its handlers (anything added after this handler), then replays them and removes
 * itself. While holding, the stream's {@code autoRead} is off, so the only bytes held are those that arrived in
 * the same frame as the multistream answer; the rest waits in the yamux window. Event-loop confined.
 */
final class InboundHold extends ChannelDuplexHandler {
    /** How often we look for the caller's handlers when none of its operations passes through us. */
    static final long POLL_MILLIS = 5;

    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> poll;
    private boolean released;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ctx.channel().config().setAutoRead(false);
        poll = ctx.executor().scheduleWithFixedDelay(this::releaseIfHandled, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Replays what was held if a handler now follows this one. */
    void releaseIfHandled() {
        if (released || ctx == null || ctx.isRemoved()) {
            return;
        }
        if (!ctx.channel().isOpen()) {
            released = true;
            poll.cancel(false);
            held.forEach(ReferenceCountUtil::release);
            held.clear();
            return;
        }
        if (ctx.pipeline().last() == this) {
            return;
        }
        released = true;
        poll.cancel(false);
        boolean read = false;
        Object o;
        while ((o = held.poll()) != null) {
            if (o instanceof Event e) {
                ctx.fireUserEventTriggered(e.event());
            } else {
                ctx.fireChannelRead(o);
                read = true;
            }
        }
        if (read) {
            ctx.fireChannelReadComplete();
        }
        ctx.pipeline().remove(this);
        ctx.channel().config().setAutoRead(true);
    }

    private record Event(Object event) {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (released) {
            ctx.fireChannelRead(msg);
            return;
        }
        held.add(msg);
        releaseIfHandled();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (released) {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (released) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        held.add(new Event(evt));
        releaseIfHandled();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        releaseIfHandled();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (released) {
            ctx.read();
        } else {
            releaseIfHandled();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (poll != null) {
            poll.cancel(false);
        }
        if (!released) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }
    }
}
