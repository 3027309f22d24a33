package io.omnipeer.negotiation.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.omnipeer.core.DecodingException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs multistream-select on a channel — a raw TCP connection, a secured connection or a muxed stream alike —
 * then removes itself. Spec: libp2p/specs connections/README.md, "multistream-select".
 *
 * <p>On success, in this order and on the channel's event loop: {@link #selected()} completes with the protocol
 * id (callbacks attached without an executor run synchronously, so they can install the protocol's handlers
 * after this one), a {@link ProtocolSelected} user event is fired to the next handlers, this handler is removed,
 * and any bytes received after the negotiation are passed on as a {@code ByteBuf} message.
 *
 * <p>On failure (malformed message, no common protocol, channel closed, or no agreement within
 * {@link #NEGOTIATION_TIMEOUT}) the future fails with a {@link NegotiationException}, the reason is logged and
 * the channel is closed. One instance per channel; not sharable.
 */
public final class MultistreamHandler extends ByteToMessageDecoder {
    /** Upper bound on one negotiation (header exchange plus all proposals), as in go-multistream/js-libp2p. */
    public static final Duration NEGOTIATION_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(MultistreamHandler.class);

    private final MultistreamNegotiator negotiator;
    private final Duration negotiationTimeout;
    private final CompletableFuture<String> selected = new CompletableFuture<>();
    private boolean started;
    private ScheduledFuture<?> timeout;

    private MultistreamHandler(MultistreamNegotiator negotiator, Duration negotiationTimeout) {
        this.negotiator = negotiator;
        this.negotiationTimeout = negotiationTimeout;
    }

    /**
     * Initiator proposing {@code protocols} in order; the header and the first proposal go out in one write.
     * @throws IllegalArgumentException if {@code protocols} is empty
     */
    public static MultistreamHandler initiator(List<String> protocols) {
        return initiator(protocols, NEGOTIATION_TIMEOUT);
    }

    /** As {@link #initiator(List)} with an explicit negotiation timeout. */
    public static MultistreamHandler initiator(List<String> protocols, Duration negotiationTimeout) {
        return new MultistreamHandler(MultistreamNegotiator.initiator(protocols), negotiationTimeout);
    }

    /** Responder selecting from {@code supported} (consulted for every proposal; must be thread-safe). */
    public static MultistreamHandler responder(Supplier<? extends Collection<String>> supported) {
        return responder(supported, NEGOTIATION_TIMEOUT);
    }

    /** As {@link #responder(Supplier)} with an explicit negotiation timeout. */
    public static MultistreamHandler responder(Supplier<? extends Collection<String>> supported, Duration negotiationTimeout) {
        return new MultistreamHandler(MultistreamNegotiator.responder(supported), negotiationTimeout);
    }

    /** Completes with the agreed protocol id, or fails with {@link NegotiationException}. */
    public CompletableFuture<String> selected() {
        return selected;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        timeout = ctx.executor().schedule(
                () -> fail(ctx, new NegotiationException("no agreement within " + negotiationTimeout.toMillis() + " ms")),
                negotiationTimeout.toMillis(), TimeUnit.MILLISECONDS);
        send(ctx, negotiator.start());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (selected.isDone()) {
            return;
        }
        try {
            String message;
            while ((message = MultistreamCodec.read(in)) != null) {
                send(ctx, negotiator.onMessage(message));
                if (negotiator.selected().isPresent()) {
                    succeed(ctx, negotiator.selected().get());
                    return;
                }
            }
        } catch (DecodingException | NegotiationException e) {
            in.skipBytes(in.readableBytes());
            fail(ctx, e instanceof NegotiationException ne ? ne : new NegotiationException(e.getMessage(), e));
        }
    }

    private void send(ChannelHandlerContext ctx, List<String> messages) {
        if (messages.isEmpty()) {
            return;
        }
        ByteBuf buf = ctx.alloc().buffer();
        for (String m : messages) {
            MultistreamCodec.write(m, buf);
        }
        ctx.writeAndFlush(buf).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    }

    private void succeed(ChannelHandlerContext ctx, String protocol) {
        cancelTimeout();
        LOG.debug("{}: multistream selected {}", ctx.channel(), protocol);
        selected.complete(protocol);
        ctx.fireUserEventTriggered(new ProtocolSelected(protocol));
        if (!ctx.isRemoved()) {
            ctx.pipeline().remove(this);
        }
    }

    private void fail(ChannelHandlerContext ctx, NegotiationException e) {
        cancelTimeout();
        if (selected.completeExceptionally(e)) {
            LOG.debug("{}: multistream negotiation failed: {}", ctx.channel(), e.getMessage());
            ctx.close();
        }
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fail(ctx, new NegotiationException("channel closed during negotiation"));
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent && !selected.isDone()) {
            fail(ctx, new NegotiationException("peer closed its side during negotiation"));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (selected.isDone()) {
            ctx.fireExceptionCaught(cause);
        } else {
            fail(ctx, new NegotiationException("channel error during negotiation: " + cause.getMessage(), cause));
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
        if (!selected.isDone()) {
            selected.completeExceptionally(new NegotiationException("handler removed before agreement"));
        }
    }
}
