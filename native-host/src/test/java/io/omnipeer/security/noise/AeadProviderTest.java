package io.omnipeer.security.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The provider CipherState uses gives the JDK's bytes, in place as NoiseSession calls it, and rejects bad tags. */
class AeadProviderTest {
    @Test
    void conscryptLoadsOnThisPlatformAndMatchesTheJdk() throws Exception {
        System.out.println("FIGURE Noise AEAD provider: " + AeadProvider.name());
        Random random = new Random(8439);
        for (int len : new int[] {0, 1, 17, 1000, 65519}) {
            byte[] k = new byte[32];
            byte[] plain = new byte[len];
            random.nextBytes(k);
            random.nextBytes(plain);
            CipherState ours = new CipherState();
            ours.initializeKey(k);
            ours.setNonce(42);
            byte[] buf = new byte[len + CipherState.TAG_LENGTH];
            System.arraycopy(plain, 0, buf, 0, len);
            ours.encrypt(null, ByteBuffer.wrap(buf, 0, len), ByteBuffer.wrap(buf, 0, len + 16));

            byte[] iv = new byte[12];
            iv[4] = 42;
            Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "ChaCha20"), new IvParameterSpec(iv));
            assertThat(buf).isEqualTo(jdk.doFinal(plain));

            CipherState back = new CipherState();
            back.initializeKey(k);
            back.setNonce(42);
            byte[] tampered = buf.clone();
            back.decrypt(null, ByteBuffer.wrap(buf), ByteBuffer.wrap(buf, 0, len));
            assertThat(java.util.Arrays.copyOf(buf, len)).isEqualTo(plain);
            tampered[tampered.length - 1] ^= 1;
            CipherState bad = new CipherState();
            bad.initializeKey(k);
            bad.setNonce(42);
            assertThatThrownBy(() -> bad.decrypt(null, ByteBuffer.wrap(tampered), ByteBuffer.allocate(len)))
                    .isInstanceOf(NoiseException.class);
        }
    }
}
