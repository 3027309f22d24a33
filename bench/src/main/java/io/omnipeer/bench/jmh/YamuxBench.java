package io.omnipeer.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.omnipeer.muxer.yamux.YamuxFrame;
import io.omnipeer.muxer.yamux.YamuxFrameDecoder;
import io.omnipeer.muxer.yamux.YamuxFrameEncoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Yamux framing ({@link YamuxFrameEncoder}, {@link YamuxFrameDecoder}) through a Netty pipeline (EmbeddedChannel): one
 * Data frame of {@code size} payload bytes encoded, and its 12-byte header + payload decoded back into a frame.
 * Spec: libp2p/specs yamux/README.md, "Framing".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class YamuxBench {
    @Param({"16", "65507"})
    public int size;

    private EmbeddedChannel encoder;
    private EmbeddedChannel decoder;
    private ByteBuf payload;
    private ByteBuf wire;

    @Setup(Level.Trial)
    public void setUp() {
        encoder = new EmbeddedChannel(new YamuxFrameEncoder());
        decoder = new EmbeddedChannel(new YamuxFrameDecoder());
        payload = PooledByteBufAllocator.DEFAULT.heapBuffer(size).writeZero(size);
        wire = PooledByteBufAllocator.DEFAULT.heapBuffer(YamuxFrame.HEADER_LENGTH + size);
        YamuxFrameEncoder.writeHeader(YamuxFrame.data(1, 0, payload), wire);
        wire.writeBytes(payload, 0, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
        payload.release();
        wire.release();
    }

    @Benchmark
    public int encodeData() {
        encoder.writeOutbound(YamuxFrame.data(1, 0, payload.retainedDuplicate()));
        int n = 0;
        ByteBuf b;
        while ((b = encoder.readOutbound()) != null) {
            n += b.readableBytes();
            b.release();
        }
        return n;
    }

    @Benchmark
    public long decodeData() {
        decoder.writeInbound(wire.retainedDuplicate());
        YamuxFrame f = decoder.readInbound();
        long n = f.length();
        f.release();
        return n;
    }
}
