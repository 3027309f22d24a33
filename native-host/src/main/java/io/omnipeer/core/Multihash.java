package io.omnipeer.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A multihash: {@code <varint code><varint digest length><digest>}.
 * Spec: multiformats/multihash README, "Format". Immutable (arrays are copied in and out), thread-safe.
 *
 * @param code   multicodec hash function code, e.g. {@link #IDENTITY} or {@link #SHA2_256}
 * @param digest the digest bytes (at most {@link #MAX_DIGEST_LENGTH})
 */
public record Multihash(int code, byte[] digest) {
    public static final int IDENTITY = 0x00;
    public static final int SHA2_256 = 0x12;
    /** Bound on digests we decode: SHA2-512 is 64 bytes; identity peer IDs carry keys of at most 42 bytes. */
    public static final int MAX_DIGEST_LENGTH = 256;

    public Multihash {
        if (code < 0) {
            throw new IllegalArgumentException("negative multihash code");
        }
        if (digest.length > MAX_DIGEST_LENGTH) {
            throw new IllegalArgumentException("digest longer than " + MAX_DIGEST_LENGTH + " bytes");
        }
        if (code == SHA2_256 && digest.length != 32) {
            throw new IllegalArgumentException("sha2-256 digest must be 32 bytes");
        }
        digest = digest.clone();
    }

    /** A copy of the digest. */
    @Override
    public byte[] digest() {
        return digest.clone();
    }

    /** The binary multihash. */
    public byte[] bytes() {
        byte[] c = Varint.encode(code);
        byte[] l = Varint.encode(digest.length);
        byte[] out = new byte[c.length + l.length + digest.length];
        System.arraycopy(c, 0, out, 0, c.length);
        System.arraycopy(l, 0, out, c.length, l.length);
        System.arraycopy(digest, 0, out, c.length + l.length, digest.length);
        return out;
    }

    /**
     * Decodes a complete binary multihash (no trailing bytes).
     * @throws DecodingException if truncated, oversized, trailing bytes follow, or a sha2-256 digest is not 32 bytes
     */
    public static Multihash decode(byte[] bytes) {
        int[] off = {0};
        long code = Varint.decode(bytes, off);
        long length = Varint.decode(bytes, off);
        if (code > Integer.MAX_VALUE) {
            throw new DecodingException("multihash code out of range: " + code);
        }
        if (length > MAX_DIGEST_LENGTH) {
            throw new DecodingException("multihash digest length " + length + " exceeds " + MAX_DIGEST_LENGTH);
        }
        if (bytes.length - off[0] != length) {
            throw new DecodingException("multihash digest length " + length + " but " + (bytes.length - off[0]) + " bytes follow");
        }
        if (code == SHA2_256 && length != 32) {
            throw new DecodingException("sha2-256 multihash digest must be 32 bytes, got " + length);
        }
        return new Multihash((int) code, Arrays.copyOfRange(bytes, off[0], bytes.length));
    }

    /** SHA2-256 multihash of {@code data}. */
    public static Multihash sha256(byte[] data) {
        try {
            return new Multihash(SHA2_256, MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    /** Identity multihash: {@code data} itself, at most {@link #MAX_DIGEST_LENGTH} bytes. */
    public static Multihash identity(byte[] data) {
        return new Multihash(IDENTITY, data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash m && m.code == code && Arrays.equals(m.digest, digest);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return "Multihash[code=0x" + Integer.toHexString(code) + ", digest=" + HexFormat.of().formatHex(digest) + "]";
    }
}
