package io.omnipeer.security.noise;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise CipherState for ChaChaPoly: a 32-byte key k and a 64-bit nonce n, used for AEAD with
 * ChaCha20-Poly1305 (RFC 8439) where the 96-bit nonce is 32 zero bits followed by n little-endian.
 * Spec: Noise Protocol Framework sections 5.1 ("The CipherState object") and 12.3 ("The ChaChaPoly cipher functions").
 *
 * <p>Not thread-safe: one direction of one connection, used from one thread (its event loop).
 */
public final class CipherState {
    public static final int KEY_LENGTH = 32;
    public static final int TAG_LENGTH = 16;
    /** n = 2^64-1 is reserved (Noise section 5.1); reaching it ends the session. */
    private static final long MAX_NONCE = 0xFFFF_FFFF_FFFF_FFFFL;

    private SecretKeySpec key;
    private long nonce;
    private Cipher cipher;
    private final byte[] iv = new byte[12];

    /** An empty CipherState (no key: encryption is the identity). */
    public CipherState() {
    }

    /** InitializeKey(k): sets the key and resets n to 0. */
    public void initializeKey(byte[] k) {
        if (k.length != KEY_LENGTH) {
            throw new IllegalArgumentException("ChaChaPoly key must be 32 bytes");
        }
        key = new SecretKeySpec(k, "ChaCha20");
        nonce = 0;
    }

    public boolean hasKey() {
        return key != null;
    }

    /** The next nonce to be used, as an unsigned 64-bit value. */
    public long nonce() {
        return nonce;
    }

    /** SetNonce: for tests of the reserved-nonce limit and for rekey-free resumption. */
    void setNonce(long n) {
        nonce = n;
    }

    /**
     * EncryptWithAd(ad, plaintext): ciphertext plus the 16-byte tag, or the plaintext itself if there is no key.
     * @throws NoiseException if the nonce is exhausted
     */
    public byte[] encryptWithAd(byte[] ad, byte[] plaintext) {
        if (key == null) {
            return plaintext.clone();
        }
        byte[] out = new byte[plaintext.length + TAG_LENGTH];
        encrypt(ad, ByteBuffer.wrap(plaintext), ByteBuffer.wrap(out));
        return out;
    }

    /**
     * DecryptWithAd(ad, ciphertext): the plaintext, or the input itself if there is no key.
     * @throws NoiseException on a bad tag or an exhausted nonce
     */
    public byte[] decryptWithAd(byte[] ad, byte[] ciphertext) {
        if (key == null) {
            return ciphertext.clone();
        }
        if (ciphertext.length < TAG_LENGTH) {
            throw new NoiseException("ciphertext shorter than the 16-byte tag");
        }
        byte[] out = new byte[ciphertext.length - TAG_LENGTH];
        decrypt(ad, ByteBuffer.wrap(ciphertext), ByteBuffer.wrap(out));
        return out;
    }

    /**
     * Encrypts all remaining bytes of {@code in} into {@code out} (which needs room for them plus 16 bytes),
     * advancing both positions. Requires a key.
     * @throws NoiseException if the nonce is exhausted
     */
    public void encrypt(byte[] ad, ByteBuffer in, ByteBuffer out) {
        run(Cipher.ENCRYPT_MODE, ad, in, out);
    }

    /**
     * Decrypts all remaining bytes of {@code in} (ciphertext and tag) into {@code out}, advancing both positions.
     * Requires a key. The nonce advances only on success.
     * @throws NoiseException on a bad tag or an exhausted nonce
     */
    public void decrypt(byte[] ad, ByteBuffer in, ByteBuffer out) {
        run(Cipher.DECRYPT_MODE, ad, in, out);
    }

    private void run(int mode, byte[] ad, ByteBuffer in, ByteBuffer out) {
        if (key == null) {
            throw new IllegalStateException("CipherState has no key");
        }
        if (nonce == MAX_NONCE) {
            throw new NoiseException("Noise nonce exhausted (2^64-1 messages); the session must end");
        }
        for (int i = 0; i < 8; i++) {
            iv[4 + i] = (byte) (nonce >>> (8 * i));
        }
        try {
            if (cipher == null) {
                cipher = Cipher.getInstance("ChaCha20-Poly1305");
            }
            cipher.init(mode, key, new IvParameterSpec(iv));
            if (ad != null && ad.length > 0) {
                cipher.updateAAD(ad);
            }
            cipher.doFinal(in, out);
        } catch (AEADBadTagException e) {
            throw new NoiseException("ChaChaPoly authentication failed (bad tag)", e);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("ChaChaPoly failure: " + e.getMessage(), e);
        }
        nonce++;
    }
}
