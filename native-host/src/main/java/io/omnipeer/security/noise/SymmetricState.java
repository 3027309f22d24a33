package io.omnipeer.security.noise;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Noise SymmetricState with SHA-256: chaining key ck, handshake hash h and a {@link CipherState}.
 * Spec: Noise Protocol Framework sections 4.3 (HKDF), 5.2 ("The SymmetricState object") and 12.5 (SHA256).
 * Not thread-safe.
 */
public final class SymmetricState {
    public static final int HASH_LENGTH = 32;

    private final CipherState cipherState = new CipherState();
    private byte[] ck;
    private byte[] h;

    /** InitializeSymmetric(protocolName). */
    public SymmetricState(String protocolName) {
        byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= HASH_LENGTH ? Arrays.copyOf(name, HASH_LENGTH) : sha256(name);
        ck = h.clone();
    }

    /** MixKey(ikm): ck, tempK = HKDF(ck, ikm, 2); InitializeKey(tempK). */
    public void mixKey(byte[] ikm) {
        byte[][] out = hkdf(ck, ikm);
        ck = out[0];
        cipherState.initializeKey(out[1]);
    }

    /** MixHash(data): h = SHA-256(h || data). */
    public void mixHash(byte[] data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(h);
            md.update(data);
            h = md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** EncryptAndHash(plaintext): encrypts with ad = h (identity if no key yet), then mixes the ciphertext into h. */
    public byte[] encryptAndHash(byte[] plaintext) {
        byte[] ciphertext = cipherState.encryptWithAd(h, plaintext);
        mixHash(ciphertext);
        return ciphertext;
    }

    /** DecryptAndHash(ciphertext). @throws NoiseException on a bad tag */
    public byte[] decryptAndHash(byte[] ciphertext) {
        byte[] plaintext = cipherState.decryptWithAd(h, ciphertext);
        mixHash(ciphertext);
        return plaintext;
    }

    public boolean hasKey() {
        return cipherState.hasKey();
    }

    /** The handshake hash h (a copy); after the handshake it identifies the session (channel binding). */
    public byte[] handshakeHash() {
        return h.clone();
    }

    /** Split(): two CipherStates, [0] for initiator-to-responder traffic and [1] for responder-to-initiator. */
    public CipherState[] split() {
        byte[][] out = hkdf(ck, new byte[0]);
        CipherState c1 = new CipherState();
        c1.initializeKey(out[0]);
        CipherState c2 = new CipherState();
        c2.initializeKey(out[1]);
        return new CipherState[] {c1, c2};
    }

    /** HKDF(chainingKey, ikm, 2) as Noise section 4.3 defines it with HMAC-SHA256. */
    static byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
        byte[] tempKey = hmac(chainingKey, ikm);
        byte[] out1 = hmac(tempKey, new byte[] {1});
        byte[] in2 = Arrays.copyOf(out1, HASH_LENGTH + 1);
        in2[HASH_LENGTH] = 2;
        return new byte[][] {out1, hmac(tempKey, in2)};
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
