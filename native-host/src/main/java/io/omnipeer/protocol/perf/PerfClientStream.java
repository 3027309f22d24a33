package io.omnipeer.protocol.perf;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.core.Stream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Client side of one perf stream: writes the 8-byte big-endian download count, uploads, half-closes, then counts
 * the download until the server's FIN. More bytes than asked, fewer bytes before FIN, the stream closing early or
 * a stall fail the run and reset the stream. Spec: libp2p/specs perf/perf.md, "Protocol", client steps 2-5.
 * Event-loop confined; completes its result future once.
 */
final class PerfClientStream extends PerfStreamHandler {
    private final long uploadBytes;
    private final long downloadBytes;
    private final Duration streamOpen;
    private final CompletableFuture<PerfResult> result;
    private long start;
    private long uploadDone;
    private long downloaded;

    PerfClientStream(Stream stream, long uploadBytes, long downloadBytes, Duration streamOpen,
                     CompletableFuture<PerfResult> result) {
        super(stream);
        this.result = result;
        this.uploadBytes = uploadBytes;
        this.downloadBytes = downloadBytes;
        this.streamOpen = streamOpen;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        start = System.nanoTime();
        ctx.write(ctx.alloc().heapBuffer(PerfService.HEADER_LENGTH).writeLong(downloadBytes));
        send(ctx, uploadBytes);
    }

    @Override
    protected void onAllSent(ChannelHandlerContext ctx) {
        stream.closeWrite().addListener(f -> {
            if (f.isSuccess()) {
                uploadDone = System.nanoTime();
            } else {
                fail(new PerfException("could not half-close after uploading: " + f.cause()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        int n = in.readableBytes();
        in.release();
        received(n);
        downloaded += n;
        if (downloaded > downloadBytes) {
            fail(new PerfException("server sent more than the " + downloadBytes + " bytes asked for"));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt != ChannelInputShutdownEvent.INSTANCE) {
            ctx.fireUserEventTriggered(evt);
            return;
        }
        long end = System.nanoTime();
        if (downloaded != downloadBytes) {
            fail(new PerfException("server closed after " + downloaded + " of " + downloadBytes + " bytes"));
            return;
        }
        if (uploadDone == 0) {
            fail(new PerfException("server closed before our upload finished"));
            return;
        }
        stopWatchdog();
        result.complete(new PerfResult(uploadBytes, downloadBytes, streamOpen, Duration.ofNanos(uploadDone - start),
                Duration.ofNanos(end - start)));
        stream.close();
    }

    @Override
    protected void onStall(ChannelHandlerContext ctx) {
        fail(new PerfException("nothing moved for " + PerfService.STALL_TIMEOUT.toMillis() + " ms after "
                + downloaded + " of " + downloadBytes + " bytes downloaded"));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(new PerfException("stream closed after " + downloaded + " of " + downloadBytes + " bytes downloaded"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(new PerfException("perf stream failed: " + cause));
    }

    private void fail(PerfException e) {
        stopWatchdog();
        if (result.completeExceptionally(e)) {
            stream.reset();
        }
    }
}
