package io.omnipeer.security.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Throughput sanity check of the transport encrypt/decrypt path (prints MB/s, asserts only correctness:
 * the machine is shared, so no timing assertions). Output lands in the surefire report's -output.txt.
 */
class NoiseThroughputTest {
    private static final int TOTAL = 64 * 1024 * 1024;
    private static final int WRITE = 256 * 1024;

    @Test
    void printEncryptAndDecryptThroughput() {
        measure("pooled  ", PooledByteBufAllocator.DEFAULT, true);
        measure("pooled  ", PooledByteBufAllocator.DEFAULT, false);
        measure("unpooled", UnpooledByteBufAllocator.DEFAULT, false);
    }

    private void measure(String label, ByteBufAllocator alloc, boolean directSource) {
        // two CipherStates with the same key: one encrypts on the sender, the other decrypts on the receiver
        CipherState[] keys = pair();
        NoiseSession sender = new NoiseSession(keys[0], new CipherState());
        NoiseSession receiver = new NoiseSession(new CipherState(), keys[1]);
        byte[] chunk = new byte[WRITE];
        new Random(7).nextBytes(chunk);
        ByteBuf source = directSource ? alloc.directBuffer(WRITE) : alloc.heapBuffer(WRITE);
        source.writeBytes(chunk);
        run(sender, receiver, alloc, source, TOTAL); // warm-up (JIT)
        long encryptNanos = 0;
        long decryptNanos = 0;
        for (int done = 0; done < TOTAL; done += WRITE) {
            source.readerIndex(0);
            long t0 = System.nanoTime();
            ByteBuf wire = sender.encrypt(alloc, source);
            if (directSource) {
                // inbound bytes come from the socket in direct buffers
                ByteBuf direct = alloc.directBuffer(wire.readableBytes()).writeBytes(wire);
                wire.release();
                wire = direct;
            }
            long t1 = System.nanoTime();
            int frames = 0;
            while (wire.isReadable()) {
                int len = wire.readUnsignedShort();
                ByteBuf plain = receiver.decrypt(alloc, wire.readSlice(len));
                frames++;
                plain.release();
            }
            long t2 = System.nanoTime();
            assertThat(frames).isEqualTo((WRITE + NoiseSession.MAX_PLAINTEXT - 1) / NoiseSession.MAX_PLAINTEXT);
            wire.release();
            encryptNanos += t1 - t0;
            decryptNanos += t2 - t1;
        }
        source.release();
        System.out.printf("Noise %s (%s buffers from upper layer/socket, %d KiB writes): encrypt %.0f MB/s, decrypt %.0f MB/s over %d MiB%n",
                label, directSource ? "direct" : "heap", WRITE / 1024, mbps(encryptNanos), mbps(decryptNanos), TOTAL >> 20);
    }

    private static void run(NoiseSession sender, NoiseSession receiver, ByteBufAllocator alloc, ByteBuf source, int bytes) {
        for (int done = 0; done < bytes; done += WRITE) {
            source.readerIndex(0);
            ByteBuf wire = sender.encrypt(alloc, source);
            while (wire.isReadable()) {
                receiver.decrypt(alloc, wire.readSlice(wire.readUnsignedShort())).release();
            }
            wire.release();
        }
    }

    private static double mbps(long nanos) {
        return TOTAL / 1e6 / (nanos / 1e9);
    }

    private static CipherState[] pair() {
        byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        CipherState a = new CipherState();
        a.initializeKey(key);
        CipherState b = new CipherState();
        b.initializeKey(key);
        return new CipherState[] {a, b};
    }
}
