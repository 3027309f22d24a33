package io.omnipeer.security.noise;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.ChaCha20ParameterSpec;

/**
 * AEAD_CHACHA20_POLY1305 (RFC 8439 section 2.8) on byte arrays: the JDK's ChaCha20 stream cipher (an intrinsic on
 * x86 with AVX2) for the keystream and our {@link Poly1305} for the tag. Output is byte-for-byte what the JDK's
 * "ChaCha20-Poly1305" cipher produces; it exists because the JDK's Poly1305 is slow without AVX-512 IFMA.
 * In-place use (input and output the same region) is supported. Not thread-safe (one direction of one connection).
 */
final class ChaChaPolyAead {
    private static final byte[] ZEROS_32 = new byte[Poly1305.KEY_LENGTH];

    private final Cipher chacha;
    private final Poly1305 poly = new Poly1305();
    private final byte[] oneTimeKey = new byte[Poly1305.KEY_LENGTH];
    private final byte[] lengths = new byte[16];
    private final byte[] tag = new byte[Poly1305.TAG_LENGTH];

    ChaChaPolyAead() {
        try {
            chacha = Cipher.getInstance("ChaCha20");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no ChaCha20", e);
        }
    }

    /**
     * Encrypts {@code in[inOff..inOff+len)} to {@code out[outOff..outOff+len)} and writes the 16-byte tag right after.
     * @param nonce 12 bytes
     */
    void seal(SecretKey key, byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws GeneralSecurityException {
        start(key, nonce, ad);
        chacha.doFinal(in, inOff, len, out, outOff);
        authenticate(ad, out, outOff, len);
        poly.finish(out, outOff + len);
    }

    /**
     * Checks the tag after {@code len} ciphertext bytes at {@code in[inOff..)}, then decrypts them to {@code out}.
     * @throws javax.crypto.AEADBadTagException on a wrong tag (nothing is written to {@code out})
     */
    void open(SecretKey key, byte[] nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff)
            throws GeneralSecurityException {
        start(key, nonce, ad);
        authenticate(ad, in, inOff, len);
        poly.finish(tag, 0);
        if (!MessageDigest.isEqual(tag, java.util.Arrays.copyOfRange(in, inOff + len, inOff + len + tag.length))) {
            throw new javax.crypto.AEADBadTagException("ChaChaPoly tag mismatch");
        }
        chacha.doFinal(in, inOff, len, out, outOff);
    }

    /**
     * Poly1305 key = first 32 bytes of the block with counter 0; the cipher then continues at counter 1. Both use
     * DECRYPT_MODE (the same XOR with the keystream): the JDK refuses a second ENCRYPT_MODE init with the same key
     * and nonce, a guard meant for callers that would reuse a nonce, which we do not (the counter differs).
     */
    private void start(SecretKey key, byte[] nonce, byte[] ad) throws GeneralSecurityException {
        chacha.init(Cipher.DECRYPT_MODE, key, new ChaCha20ParameterSpec(nonce, 0));
        chacha.doFinal(ZEROS_32, 0, ZEROS_32.length, oneTimeKey, 0);
        chacha.init(Cipher.DECRYPT_MODE, key, new ChaCha20ParameterSpec(nonce, 1));
        poly.init(oneTimeKey, 0);
        if (ad != null && ad.length > 0) {
            poly.update(ad, 0, ad.length);
            poly.padTo16();
        }
    }

    /** The rest of the MAC input: ciphertext, pad16, then both lengths as little-endian 64-bit numbers. */
    private void authenticate(byte[] ad, byte[] ciphertext, int off, int len) {
        poly.update(ciphertext, off, len);
        poly.padTo16();
        long adLength = ad == null ? 0 : ad.length;
        for (int i = 0; i < 8; i++) {
            lengths[i] = (byte) (adLength >>> (8 * i));
            lengths[8 + i] = (byte) ((long) len >>> (8 * i));
        }
        poly.update(lengths, 0, 16);
    }
}
