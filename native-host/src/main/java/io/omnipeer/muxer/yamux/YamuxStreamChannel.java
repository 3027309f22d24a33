package io.omnipeer.muxer.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.DefaultChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One yamux stream as a Netty child channel of the connection: its own pipeline, the connection's event loop.
 * Spec: libp2p/specs yamux/README.md, "Opening a stream", "Closing a stream", "Flow Control".
 *
 * <p>Inbound: {@code ByteBuf} messages; the peer's FIN arrives as {@link ChannelInputShutdownEvent#INSTANCE} after
 * the last byte. Reading honours {@code autoRead}: bytes not yet read stay queued, are not credited back to the
 * peer, and so stop the peer once our window ({@link YamuxSession#INITIAL_WINDOW}) is used up — the per-stream
 * inbound buffer never exceeds the window.
 *
 * <p>Outbound: write {@code ByteBuf}s. Writes wait (queued, never dropped) for the peer's window and for a
 * writable connection; the queue makes this channel unwritable past its high-water mark, so writers follow
 * {@link #isWritable()}. {@link #closeWrite()} sends FIN after the queued bytes, {@link #reset()} sends RST,
 * {@link #close()} sends FIN and forgets the stream once the peer closed too (or resets it after
 * {@link YamuxSession#CLOSE_TIMEOUT}); bytes still waiting for window on close are discarded.
 *
 * <p>Thread-safety: like every Netty channel, state changes run on the event loop; public methods may be called
 * from any thread.
 */
public final class YamuxStreamChannel extends AbstractChannel {
    /** Largest Data payload we send in one frame, so that streams share the connection fairly. */
    public static final int MAX_FRAME_PAYLOAD = 64 * 1024;
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    private static final Logger LOG = LoggerFactory.getLogger(YamuxStreamChannel.class);

    private final YamuxSession session;
    private final int id;
    private final boolean initiator;
    private final ChannelConfig config = new DefaultChannelConfig(this);
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    private int queuedBytes;
    private final StreamWindows windows = new StreamWindows();
    private boolean open = true;
    private boolean readPending;
    private boolean readSuspended;
    private boolean draining;
    private boolean remoteFin;
    private boolean inputShutdownFired;
    private boolean finRequested;
    private boolean finSent;
    private boolean reset;
    private ChannelPromise closeWritePromise;
    /** Set by the session when the peer's ACK (or anything ending the stream) arrived for an outbound stream. */
    boolean acknowledged;

    YamuxStreamChannel(YamuxSession session, Channel parent, int id, boolean initiator) {
        super(parent);
        this.session = session;
        this.id = id;
        this.initiator = initiator;
    }

    /** Stream id (unsigned 32-bit): odd when the connection's dialer opened it, even for the listener. */
    public int streamId() {
        return id;
    }

    /** True if this side opened the stream (sent SYN). */
    public boolean isInitiator() {
        return initiator;
    }

    /** Bytes the peer may still send before we grant more. For tests and metrics; call on the event loop. */
    public long receiveWindow() {
        return windows.receive();
    }

    /** Bytes we may still send before the peer grants more. For tests and metrics; call on the event loop. */
    public long sendWindow() {
        return windows.send();
    }

    /** Bytes received but not yet read by the pipeline; never above {@link YamuxSession#INITIAL_WINDOW}. */
    public int queuedInboundBytes() {
        return queuedBytes;
    }

    /**
     * Stops delivering inbound bytes, whatever {@code autoRead} says, until {@link #resumeReading()}: they stay
     * queued and uncredited, so the peer stalls once our window is used up. For bandwidth throttling (resource
     * manager); {@code autoRead} stays the protocol handlers' own backpressure switch. Call on the event loop.
     */
    public void suspendReading() {
        readSuspended = true;
    }

    /** Undoes {@link #suspendReading()} and delivers what waits if a read is pending. Call on the event loop. */
    public void resumeReading() {
        readSuspended = false;
        drain();
    }

    /**
     * Half-closes: sends FIN once every byte written before this call has been sent.
     * @return completes when FIN is handed to the connection; fails if the stream is closed or reset
     */
    public ChannelFuture closeWrite() {
        ChannelPromise promise = newPromise();
        runOnLoop(() -> closeWrite0(promise));
        return promise;
    }

    /**
     * Aborts the stream: sends RST and closes the channel, discarding unsent and unread bytes. Also ends a stream
     * that was closed locally and still waits for the peer's FIN.
     */
    public void reset() {
        runOnLoop(() -> {
            if (reset || (!isOpen() && finSent && remoteFin)) {
                return;
            }
            reset = true;
            session.sendFlags(id, YamuxFrame.RST);
            session.flush();
            if (isOpen()) {
                close();
            } else {
                session.forget(this);
            }
        });
    }

    private void runOnLoop(Runnable task) {
        if (eventLoop().inEventLoop()) {
            task.run();
        } else {
            eventLoop().execute(task);
        }
    }

    private void closeWrite0(ChannelPromise promise) {
        if (finSent) {
            promise.setSuccess();
        } else if (!isOpen() || reset) {
            promise.setFailure(new ClosedChannelException());
        } else if (finRequested) {
            closeWritePromise.addListener(f -> {
                if (f.isSuccess()) {
                    promise.setSuccess();
                } else {
                    promise.setFailure(f.cause());
                }
            });
        } else {
            finRequested = true;
            closeWritePromise = promise;
            flush();
            sendFinIfDrained();
        }
    }

    private void sendFinIfDrained() {
        ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
        if (finRequested && !finSent && (buffer == null || buffer.isEmpty())) {
            finSent = true;
            session.sendFlags(id, YamuxFrame.FIN);
            session.flush();
            closeWritePromise.trySuccess();
            closeIfDone();
        }
    }

    // ---- called by YamuxSession on the event loop ----

    /** Payload from the peer; takes ownership of {@code data}. */
    void onData(ByteBuf data) {
        int length = data.readableBytes();
        if (remoteFin || !windows.onReceived(length)) {
            data.release();
            session.streamViolation(this, remoteFin ? "data after FIN" : "data of " + length + " bytes exceeds window " + windows.receive());
            return;
        }
        if (!isOpen()) {
            data.release();
            credit(length);
            return;
        }
        if (length == 0) {
            data.release();
            return;
        }
        inbound.add(data);
        queuedBytes += length;
        drain();
    }

    /** The peer grants {@code delta} more bytes. */
    void onWindowUpdate(long delta) {
        if (!windows.onGranted(delta)) {
            session.streamViolation(this, "send window overflow");
            return;
        }
        resumeWrites();
    }

    void onRemoteFin() {
        if (!remoteFin) {
            remoteFin = true;
            if (isOpen()) {
                drain();
            } else {
                closeIfDone();
            }
        }
    }

    void onRemoteReset() {
        reset = true;
        if (isOpen()) {
            close();
        } else {
            session.forget(this);
        }
    }

    /** Sends queued bytes now that window or connection capacity may be available. */
    void resumeWrites() {
        if (isOpen() && isRegistered()) {
            ((StreamUnsafe) unsafe()).resume();
        }
    }

    /** The connection is gone: close without sending anything. */
    void onSessionClosed() {
        reset = true;
        if (isOpen()) {
            unsafe().close(voidPromise());
        }
    }

    boolean isFullyClosed() {
        return reset || (finSent && remoteFin);
    }

    // ---- reading ----

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            while (readPending && !readSuspended && !inbound.isEmpty() && isOpen()) {
                readPending = config.isAutoRead();
                int batch = inbound.size();
                for (int i = 0; i < batch && isOpen() && !readSuspended; i++) {
                    ByteBuf buf = inbound.poll();
                    queuedBytes -= buf.readableBytes();
                    credit(buf.readableBytes());
                    pipeline().fireChannelRead(buf);
                }
                pipeline().fireChannelReadComplete();
            }
            if (remoteFin && inbound.isEmpty() && !inputShutdownFired && isOpen()) {
                inputShutdownFired = true;
                pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
                closeIfDone();
            }
        } finally {
            draining = false;
        }
    }

    private void credit(int consumed) {
        int delta = windows.onConsumed(consumed);
        if (delta > 0 && !remoteFin && !reset) {
            session.sendWindowUpdate(id, delta);
        }
    }

    private void closeIfDone() {
        if (finSent && remoteFin && (inputShutdownFired || !isOpen())) {
            if (isOpen()) {
                close();
            } else {
                session.forget(this);
            }
        }
    }

    // ---- AbstractChannel ----

    @Override
    protected void doBeginRead() {
        readPending = true;
        drain();
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        boolean wrote = false;
        Object msg;
        while ((msg = in.current()) != null) {
            ByteBuf buf = (ByteBuf) msg;
            int readable = buf.readableBytes();
            if (readable == 0) {
                in.remove();
                continue;
            }
            if (reset || finSent) {
                in.remove(new ClosedChannelException());
                continue;
            }
            if (windows.send() == 0) {
                break;
            }
            if (!session.isConnectionWritable()) {
                // Flushing may drain the connection at once; its writability event cannot resume us while we are
                // inside flush0, so look again ourselves.
                if (!wrote) {
                    break;
                }
                session.flush();
                wrote = false;
                if (!session.isConnectionWritable()) {
                    break;
                }
            }
            int n = windows.sendable(readable, MAX_FRAME_PAYLOAD);
            session.write(YamuxFrame.data(id, 0, buf.retainedSlice(buf.readerIndex(), n)));
            windows.onSent(n);
            wrote = true;
            in.removeBytes(n);
        }
        if (wrote) {
            session.flush();
        }
        sendFinIfDrained();
    }

    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (!(msg instanceof ByteBuf)) {
            throw new UnsupportedOperationException("yamux streams carry ByteBuf, not " + msg.getClass().getName());
        }
        if (finRequested) {
            throw new IllegalStateException("stream output is closed (FIN)");
        }
        return msg;
    }

    @Override
    protected void doClose() {
        open = false;
        ByteBuf buf;
        while ((buf = inbound.poll()) != null) {
            buf.release();
        }
        queuedBytes = 0;
        if (closeWritePromise != null) {
            closeWritePromise.tryFailure(new ClosedChannelException());
        }
        session.onStreamChannelClosed(this, !reset && !finSent);
        finSent = true;
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("yamux streams cannot be bound");
    }

    @Override
    protected DefaultChannelPipeline newChannelPipeline() {
        return new StreamPipeline(this);
    }

    /** An exception no handler dealt with resets this stream only (and is logged), never the connection. */
    private static final class StreamPipeline extends DefaultChannelPipeline {
        StreamPipeline(YamuxStreamChannel channel) {
            super(channel);
        }

        @Override
        protected void onUnhandledInboundException(Throwable cause) {
            YamuxStreamChannel stream = (YamuxStreamChannel) channel();
            LOG.info("{}: resetting after unhandled error: {}", stream, cause.toString());
            stream.reset();
        }
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new StreamUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return parent().localAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return parent().remoteAddress();
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && isRegistered();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public String toString() {
        return "YamuxStream[" + Integer.toUnsignedString(id) + (initiator ? " out" : " in") + " of " + parent() + "]";
    }

    private final class StreamUnsafe extends AbstractUnsafe {
        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("yamux streams are opened through YamuxSession"));
        }

        void resume() {
            flush0();
        }
    }
}
