package io.omnipeer.protocol.perf;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.core.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side of one perf stream: reads the 8-byte big-endian count the client wants back, discards everything
 * else until the client's FIN, then sends that many bytes and closes the stream. Sending never overlaps reading
 * ("MUST NOT be run concurrently with step 2"). A FIN before the 8 header bytes resets the stream.
 * Spec: libp2p/specs perf/perf.md, "Protocol", server steps 1-4. Event-loop confined.
 */
final class PerfServerStream extends PerfStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(PerfServerStream.class);

    private final Runnable onDone;
    private long header;
    private int headerBytes;
    private long uploaded;
    private boolean done;

    PerfServerStream(Stream stream, Runnable onDone) {
        super(stream);
        this.onDone = onDone;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            received(in.readableBytes());
            while (headerBytes < PerfService.HEADER_LENGTH && in.isReadable()) {
                header = (header << 8) | in.readUnsignedByte();
                headerBytes++;
            }
            uploaded += in.readableBytes();
        } finally {
            in.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt != ChannelInputShutdownEvent.INSTANCE) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (headerBytes < PerfService.HEADER_LENGTH) {
            LOG.info("perf from {}: FIN after {} of the {} header bytes; resetting", stream.remotePeer(), headerBytes,
                    PerfService.HEADER_LENGTH);
            finish();
            stream.reset();
            return;
        }
        LOG.debug("perf from {}: {} bytes uploaded, sending {} back", stream.remotePeer(), uploaded,
                Long.toUnsignedString(header));
        // A count above 2^63-1 (the spec allows up to 2^64-1, meaning "until I close") is as good as unbounded.
        send(ctx, header < 0 ? Long.MAX_VALUE : header);
    }

    @Override
    protected void onAllSent(ChannelHandlerContext ctx) {
        finish();
        stream.close();
    }

    @Override
    protected void onStall(ChannelHandlerContext ctx) {
        LOG.info("perf from {}: nothing moved for {} ms; resetting", stream.remotePeer(),
                PerfService.STALL_TIMEOUT.toMillis());
        finish();
        stream.reset();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish();
        super.channelInactive(ctx);
    }

    private void finish() {
        stopWatchdog();
        if (!done) {
            done = true;
            onDone.run();
        }
    }
}
