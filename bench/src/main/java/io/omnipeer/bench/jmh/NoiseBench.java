package io.omnipeer.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.omnipeer.security.noise.CipherState;
import io.omnipeer.security.noise.NoiseSession;
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

/**
 * Noise transport messages ({@link NoiseSession}, ChaCha20-Poly1305 from the JDK): sealing one message of
 * {@code size} plaintext bytes, and sealing then opening it (both ends of a connection). Pooled allocator, heap
 * buffers, as in the node. Spec: libp2p/specs noise/README.md, "Wire Format".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NoiseBench {
    @Param({"64", "1024", "16384", "65519"})
    public int size;

    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private ByteBuf plaintext;
    private NoiseSession sealer;
    private NoiseSession pair;
    private NoiseSession opener;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] key = new byte[CipherState.KEY_LENGTH];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        sealer = new NoiseSession(cipher(key), cipher(key));
        pair = new NoiseSession(cipher(key), cipher(key));
        opener = new NoiseSession(cipher(key), cipher(key));
        plaintext = alloc.heapBuffer(size);
        for (int i = 0; i < size; i++) {
            plaintext.writeByte(i * 31);
        }
    }

    private static CipherState cipher(byte[] key) {
        CipherState c = new CipherState();
        c.initializeKey(key);
        return c;
    }

    /** One length-prefixed transport message out of {@code size} bytes. */
    @Benchmark
    public int seal() {
        ByteBuf out = sealer.encrypt(alloc, plaintext.duplicate());
        int n = out.readableBytes();
        out.release();
        return n;
    }

    /** Seal with one session, open with the other (nonces advance in step). */
    @Benchmark
    public int sealOpen() {
        ByteBuf sealed = pair.encrypt(alloc, plaintext.duplicate());
        sealed.skipBytes(2);
        ByteBuf opened = opener.decrypt(alloc, sealed);
        sealed.release();
        int n = opened.readableBytes();
        opened.release();
        return n;
    }
}
