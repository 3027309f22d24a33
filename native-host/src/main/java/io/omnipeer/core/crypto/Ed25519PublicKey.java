package io.omnipeer.core.crypto;

import io.omnipeer.core.DecodingException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 public key (RFC 8032), backed by the JDK's EdDSA provider. Immutable, thread-safe.
 * Spec: libp2p/specs peer-ids/peer-ids.md, "Ed25519": Data is the 32-byte encoded point.
 */
public final class Ed25519PublicKey implements PublicKey {
    public static final int LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;
    /** DER SubjectPublicKeyInfo prefix for an Ed25519 key (RFC 8410 section 4); the raw key follows. */
    private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final byte[] raw;
    private final java.security.PublicKey jdkKey;

    private Ed25519PublicKey(byte[] raw, java.security.PublicKey jdkKey) {
        this.raw = raw;
        this.jdkKey = jdkKey;
    }

    /**
     * Wraps the 32-byte encoded point.
     * @throws DecodingException if not 32 bytes or not accepted by the JDK
     */
    public static Ed25519PublicKey fromRaw(byte[] raw) {
        if (raw.length != LENGTH) {
            throw new DecodingException("Ed25519 public key must be 32 bytes, got " + raw.length);
        }
        byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + LENGTH);
        System.arraycopy(raw, 0, der, X509_PREFIX.length, LENGTH);
        try {
            return new Ed25519PublicKey(raw.clone(), KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
            throw new DecodingException("invalid Ed25519 public key: " + e.getMessage(), e);
        }
    }

    static Ed25519PublicKey fromJdk(java.security.PublicKey jdkKey) {
        byte[] der = jdkKey.getEncoded();
        return new Ed25519PublicKey(Arrays.copyOfRange(der, der.length - LENGTH, der.length), jdkKey);
    }

    @Override
    public KeyType type() {
        return KeyType.ED25519;
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    @Override
    public boolean verify(byte[] data, byte[] sig) {
        if (sig == null || sig.length != SIGNATURE_LENGTH) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(jdkKey);
            s.update(data);
            return s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ed25519PublicKey k && Arrays.equals(k.raw, raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "Ed25519PublicKey[" + HexFormat.of().formatHex(raw) + "]";
    }
}
