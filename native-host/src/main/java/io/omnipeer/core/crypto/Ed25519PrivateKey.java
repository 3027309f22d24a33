package io.omnipeer.core.crypto;

import com.google.protobuf.ByteString;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.crypto.pb.KeysProtos;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Ed25519 private key (RFC 8032) on the JDK's EdDSA provider. Immutable, thread-safe.
 * Spec: libp2p/specs peer-ids/peer-ids.md, "Ed25519": Data is the 32-byte seed followed by the 32-byte public key
 * (a legacy 96-byte form with the public key repeated is accepted on input).
 */
public final class Ed25519PrivateKey implements PrivateKey {
    public static final int SEED_LENGTH = 32;
    /** DER PKCS#8 prefix for an Ed25519 private key (RFC 8410 section 7); the 32-byte seed follows. */
    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");

    private final byte[] seed;
    private final java.security.PrivateKey jdkKey;
    private final Ed25519PublicKey publicKey;

    private Ed25519PrivateKey(byte[] seed, java.security.PrivateKey jdkKey, Ed25519PublicKey publicKey) {
        this.seed = seed;
        this.jdkKey = jdkKey;
        this.publicKey = publicKey;
    }

    /** A fresh key from the JDK's default {@link SecureRandom}. */
    public static Ed25519PrivateKey generate() {
        byte[] seed = new byte[SEED_LENGTH];
        new SecureRandom().nextBytes(seed);
        return fromSeed(seed);
    }

    /**
     * The key for a 32-byte RFC 8032 seed.
     * @throws IllegalArgumentException if {@code seed} is not 32 bytes
     */
    public static Ed25519PrivateKey fromSeed(byte[] seed) {
        if (seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, got " + seed.length);
        }
        byte[] copy = seed.clone();
        try {
            // The JDK derives the public key only inside its key pair generator, which draws the seed from the
            // SecureRandom it is given; feeding it our seed yields the deterministic RFC 8032 key pair.
            KeyPairGenerator gen = KeyPairGenerator.getInstance("Ed25519");
            gen.initialize(NamedParameterSpec.ED25519, new FixedSeedRandom(copy));
            KeyPair pair = gen.generateKeyPair();
            byte[] der = Arrays.copyOf(PKCS8_PREFIX, PKCS8_PREFIX.length + SEED_LENGTH);
            System.arraycopy(copy, 0, der, PKCS8_PREFIX.length, SEED_LENGTH);
            java.security.PrivateKey jdk = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            return new Ed25519PrivateKey(copy, jdk, Ed25519PublicKey.fromJdk(pair.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK without Ed25519", e);
        }
    }

    static Ed25519PrivateKey fromLibp2pData(byte[] data) {
        if (data.length != 64 && data.length != 96) {
            throw new DecodingException("Ed25519 private key data must be 64 bytes, got " + data.length);
        }
        Ed25519PrivateKey key = fromSeed(Arrays.copyOf(data, SEED_LENGTH));
        if (!Arrays.equals(key.publicKey.raw(), Arrays.copyOfRange(data, 32, 64))) {
            throw new DecodingException("Ed25519 private key data: embedded public key does not match the seed");
        }
        return key;
    }

    /** The 32-byte seed (a copy). */
    public byte[] seed() {
        return seed.clone();
    }

    @Override
    public Ed25519PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(jdkKey);
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    @Override
    public byte[] marshal() {
        byte[] data = Arrays.copyOf(seed, 64);
        System.arraycopy(publicKey.raw(), 0, data, 32, 32);
        return KeysProtos.PrivateKey.newBuilder()
                .setType(KeysProtos.KeyType.Ed25519)
                .setData(ByteString.copyFrom(data))
                .build()
                .toByteArray();
    }

    @Override
    public String toString() {
        return "Ed25519PrivateKey[public=" + HexFormat.of().formatHex(publicKey.raw()) + "]";
    }

    /** Hands out exactly the given seed; used only to drive the JDK key pair generator. */
    private static final class FixedSeedRandom extends SecureRandom {
        private final byte[] seed;

        FixedSeedRandom(byte[] seed) {
            this.seed = seed;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (bytes.length != seed.length) {
                throw new IllegalStateException("unexpected request for " + bytes.length + " random bytes");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
        }
    }
}
