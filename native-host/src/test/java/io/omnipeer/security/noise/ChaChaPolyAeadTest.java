package io.omnipeer.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Our Poly1305 and AEAD against RFC 8439's Poly1305 vector and, byte for byte, against the JDK's ChaCha20-Poly1305. */
class ChaChaPolyAeadTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void poly1305MatchesRfc8439Section252() {
        byte[] key = HEX.parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] msg = "Cryptographic Forum Research Group".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Poly1305 p = new Poly1305();
        p.init(key, 0);
        p.update(msg, 0, 5);
        p.update(msg, 5, msg.length - 5);
        byte[] tag = new byte[16];
        p.finish(tag, 0);
        assertThat(HEX.formatHex(tag)).isEqualTo("a8061dc1305136c6c22b8baf0c0127a9");
    }

    @Test
    void sealAndOpenMatchTheJdkForManySizesKeysAndAssociatedData() throws Exception {
        Random random = new Random(8439);
        ChaChaPolyAead ours = new ChaChaPolyAead();
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        int[] sizes = {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 255, 1000, 4096, 65519};
        for (int round = 0; round < 200; round++) {
            int len = round < sizes.length ? sizes[round] : random.nextInt(3000);
            byte[] k = new byte[32];
            byte[] nonce = new byte[12];
            byte[] ad = new byte[round % 3 == 0 ? 0 : random.nextInt(70)];
            byte[] plain = new byte[len];
            random.nextBytes(k);
            random.nextBytes(nonce);
            random.nextBytes(ad);
            random.nextBytes(plain);
            SecretKey key = new SecretKeySpec(k, "ChaCha20");

            jdk.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
            jdk.updateAAD(ad);
            byte[] expected = jdk.doFinal(plain);

            byte[] sealed = new byte[len + 16];
            ours.seal(key, nonce, ad, plain, 0, len, sealed, 0);
            assertThat(sealed).as("length %d", len).isEqualTo(expected);

            // In place, at an offset, as NoiseSession does.
            byte[] buf = new byte[len + 16 + 7];
            System.arraycopy(plain, 0, buf, 7, len);
            ours.seal(key, nonce, ad, buf, 7, len, buf, 7);
            assertThat(java.util.Arrays.copyOfRange(buf, 7, 7 + len + 16)).isEqualTo(expected);
            ours.open(key, nonce, ad, buf, 7, len, buf, 7);
            assertThat(java.util.Arrays.copyOfRange(buf, 7, 7 + len)).isEqualTo(plain);
        }
    }

    @Test
    void aTamperedByteFailsTheTagAndLeavesTheOutputAlone() throws Exception {
        ChaChaPolyAead aead = new ChaChaPolyAead();
        SecretKey key = new SecretKeySpec(new byte[32], "ChaCha20");
        byte[] nonce = new byte[12];
        byte[] sealed = new byte[100 + 16];
        aead.seal(key, nonce, null, new byte[100], 0, 100, sealed, 0);
        for (int i : new int[] {0, 50, 99, 100, 115}) {
            byte[] bad = sealed.clone();
            bad[i] ^= 1;
            byte[] out = new byte[100];
            java.util.Arrays.fill(out, (byte) 7);
            assertThatThrownBy(() -> aead.open(key, nonce, null, bad, 0, 100, out, 0))
                    .isInstanceOf(AEADBadTagException.class);
            assertThat(out).containsOnly((byte) 7);
        }
    }

    @Test
    void cipherStateUsesTheFastPathOnHeapBuffersAndTheJdkOnDirectOnesWithTheSameBytes() {
        byte[] k = new byte[32];
        new Random(1).nextBytes(k);
        CipherState heap = new CipherState();
        CipherState direct = new CipherState();
        heap.initializeKey(k);
        direct.initializeKey(k);
        byte[] plain = new byte[5000];
        new Random(2).nextBytes(plain);
        for (int i = 0; i < 3; i++) {
            ByteBuffer h = ByteBuffer.allocate(plain.length + 16);
            heap.encrypt(null, ByteBuffer.wrap(plain), h);
            ByteBuffer d = ByteBuffer.allocateDirect(plain.length + 16);
            direct.encrypt(null, ByteBuffer.allocateDirect(plain.length).put(plain).flip(), d);
            byte[] fromDirect = new byte[plain.length + 16];
            d.flip().get(fromDirect);
            assertThat(h.array()).isEqualTo(fromDirect);
        }
    }
}
