package io.omnipeer.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.muxer.yamux.YamuxFrame;
import io.omnipeer.muxer.yamux.YamuxFrameDecoder;
import io.omnipeer.muxer.yamux.YamuxFrameEncoder;
import io.omnipeer.security.noise.NoiseHandler;
import io.omnipeer.security.noise.SecureChannelEstablished;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Optional;

/**
 * The connection's send and receive path without sockets or threads: two Netty pipelines in this process,
 * {@code [NoiseHandler, YamuxFrameEncoder]} sending and {@code [NoiseHandler, YamuxFrameDecoder]} receiving, the
 * Noise XX handshake done by shuttling bytes between them, then yamux Data frames written, flushed, carried over
 * and decoded. Measures the thread's CPU time (not wall time: the machine is shared) per MiB of payload, and how
 * many buffers reach the socket per yamux frame. Runs against whichever native-host jar is on the classpath, so the
 * bench can compare commits in one run. Prints one JSON line per scenario:
 * {@code {"event":"sendpath","scenario","frameBytes","framesPerFlush","frames","cpuNsPerMiB","wireBuffersPerFrame",
 * "wireBytesPerFrame"}}.
 */
public final class SendPathMain {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private SendPathMain() {
    }

    public static void main(String[] argv) {
        Args args = Args.parse(argv);
        long totalBytes = args.getLong("bytes", 256L << 20);
        int rounds = args.getInt("runs", 5);
        for (int round = -1; round < rounds; round++) {
            scenario("bulk 64 KiB frames, 1 per flush", 64 * 1024, 1, totalBytes, round);
            scenario("16 KiB frames, 1 per flush", 16 * 1024, 1, totalBytes / 2, round);
            scenario("100 B frames, 1 per flush", 100, 1, totalBytes / 64, round);
            scenario("100 B frames, 16 per flush", 100, 16, totalBytes / 64, round);
        }
        JsonLines.emit(JsonLines.event("done"));
    }

    private static void scenario(String name, int frameBytes, int perFlush, long totalBytes, int round) {
        Pair p = Pair.connect();
        ByteBuf payload = PooledByteBufAllocator.DEFAULT.heapBuffer(frameBytes).writeZero(frameBytes);
        long frames = Math.max(perFlush, totalBytes / frameBytes / perFlush * perFlush);
        long wireBuffers = 0;
        long wireBytes = 0;
        long received = 0;
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        for (long i = 0; i < frames; i += perFlush) {
            for (int k = 0; k < perFlush; k++) {
                p.sender.write(YamuxFrame.data(1, 0, payload.retainedDuplicate()));
            }
            p.sender.flush();
            ByteBuf wire;
            while ((wire = p.sender.readOutbound()) != null) {
                wireBuffers++;
                wireBytes += wire.readableBytes();
                p.receiver.writeInbound(wire);
            }
            YamuxFrame f;
            while ((f = p.receiver.readInbound()) != null) {
                received += f.length();
                f.release();
            }
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        payload.release();
        p.close();
        if (received != frames * frameBytes) {
            throw new IllegalStateException(name + ": received " + received + " of " + frames * frameBytes);
        }
        if (round >= 0) {
            JsonLines.emit(JsonLines.event("sendpath").put("scenario", name).put("run", round)
                    .put("frameBytes", frameBytes).put("framesPerFlush", perFlush).put("frames", frames)
                    .put("cpuNsPerMiB", cpu / (received / (double) (1 << 20)))
                    .put("wireBuffersPerFrame", wireBuffers / (double) frames)
                    .put("wireBytesPerFrame", wireBytes / (double) frames));
        }
    }

    /** Two pipelines whose Noise handshake completed. */
    private record Pair(EmbeddedChannel sender, EmbeddedChannel receiver) {
        static Pair connect() {
            Ed25519PrivateKey a = Ed25519PrivateKey.generate();
            Ed25519PrivateKey b = Ed25519PrivateKey.generate();
            Established sa = new Established();
            Established sb = new Established();
            EmbeddedChannel sender = new EmbeddedChannel(
                    new NoiseHandler(a, true, Optional.of(PeerId.fromPublicKey(b.publicKey()))), sa,
                    new YamuxFrameEncoder());
            EmbeddedChannel receiver = new EmbeddedChannel(new NoiseHandler(b, false, Optional.empty()), sb,
                    new YamuxFrameDecoder());
            for (int i = 0; i < 10 && !(sa.done && sb.done); i++) {
                shuttle(sender, receiver);
                shuttle(receiver, sender);
            }
            if (!(sa.done && sb.done)) {
                throw new IllegalStateException("Noise handshake did not complete");
            }
            return new Pair(sender, receiver);
        }

        private static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
            from.flushOutbound();
            Object m;
            while ((m = from.readOutbound()) != null) {
                to.writeInbound(m);
            }
        }

        void close() {
            sender.finishAndReleaseAll();
            receiver.finishAndReleaseAll();
        }
    }

    /** Notes the handshake's end; swallows nothing else. */
    private static final class Established extends ChannelInboundHandlerAdapter {
        volatile boolean done;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SecureChannelEstablished) {
                done = true;
            }
            ctx.fireUserEventTriggered(evt);
        }
    }
}
