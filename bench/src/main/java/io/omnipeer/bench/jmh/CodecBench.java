package io.omnipeer.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.Varint;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The small codecs on every connection: unsigned varints (multiformats unsigned-varint; 300 takes 2 bytes, 2^40 six)
 * and multiaddr text/bytes (multiformats multiaddr; an ip4/tcp/p2p address as peers exchange them).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBench {
    private static final String ADDR = "/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
    private final ByteBuf buf = Unpooled.buffer(16);
    private byte[] addrBytes;

    @Setup
    public void setUp() {
        addrBytes = Multiaddr.parse(ADDR).bytes();
    }

    @Benchmark
    public long varintRoundTrip300() {
        buf.clear();
        Varint.write(300, buf);
        return Varint.read(buf);
    }

    @Benchmark
    public long varintRoundTrip2e40() {
        buf.clear();
        Varint.write(1L << 40, buf);
        return Varint.read(buf);
    }

    @Benchmark
    public Multiaddr multiaddrParseText() {
        return Multiaddr.parse(ADDR);
    }

    @Benchmark
    public Multiaddr multiaddrFromBytes() {
        return Multiaddr.fromBytes(addrBytes);
    }
}
