package io.omnipeer.security.noise;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;

/**
 * A Curve25519 Diffie-Hellman key pair on the JDK's XDH provider. Keys are the 32-byte RFC 7748 section 5
 * encodings. Immutable, thread-safe. Spec: Noise Protocol Framework section 12.1 ("The 25519 DH functions").
 */
public final class X25519KeyPair {
    public static final int KEY_LENGTH = 32;
    /** DER prefixes (RFC 8410) that wrap a raw X25519 key for the JDK key factory. */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b656e04220420");
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");
    /** The Curve25519 base point u = 9 (RFC 7748 section 4.1). */
    private static final byte[] BASE_POINT = new byte[KEY_LENGTH];

    static {
        BASE_POINT[0] = 9;
    }

    private final java.security.PrivateKey privateKey;
    private final byte[] publicKey;

    private X25519KeyPair(java.security.PrivateKey privateKey, byte[] publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A fresh random key pair. */
    public static X25519KeyPair generate() {
        byte[] priv = new byte[KEY_LENGTH];
        new SecureRandom().nextBytes(priv);
        return fromPrivate(priv);
    }

    /** The key pair for a 32-byte private key (clamped as RFC 7748 says). */
    public static X25519KeyPair fromPrivate(byte[] raw) {
        if (raw.length != KEY_LENGTH) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes");
        }
        try {
            java.security.PrivateKey key = KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, raw)));
            return new X25519KeyPair(key, agree(key, BASE_POINT));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK without X25519", e);
        }
    }

    /** The 32-byte public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * X25519(private, remotePublic).
     * @throws NoiseException if the remote key is malformed or of small order (all-zero shared secret)
     */
    public byte[] dh(byte[] remotePublic) {
        if (remotePublic.length != KEY_LENGTH) {
            throw new NoiseException("X25519 public key must be 32 bytes, got " + remotePublic.length);
        }
        try {
            return agree(privateKey, remotePublic);
        } catch (GeneralSecurityException e) {
            throw new NoiseException("X25519 key agreement failed: " + e.getMessage(), e);
        }
    }

    private static byte[] agree(java.security.PrivateKey key, byte[] remotePublic) throws GeneralSecurityException {
        java.security.PublicKey remote = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(concat(X509_PREFIX, remotePublic)));
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(key);
        ka.doPhase(remote, true);
        return ka.generateSecret();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
