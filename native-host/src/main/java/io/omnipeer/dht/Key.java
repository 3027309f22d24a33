package io.omnipeer.dht;

import io.omnipeer.core.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A point in the Kademlia keyspace: the SHA-256 of a DHT key (for peers, of the peer ID bytes).
 * Distance between two keys is their XOR read as a 256-bit unsigned integer.
 * Spec: libp2p/specs kad-dht/README.md, "Distance". Immutable and thread-safe.
 */
public final class Key implements Comparable<Key> {
    /** Keyspace width in bits (SHA-256). */
    public static final int BITS = 256;
    private static final int BYTES = BITS / 8;

    private final byte[] hash;

    private Key(byte[] hash) {
        this.hash = hash;
    }

    /** Keyspace point of an arbitrary DHT key (record key, provider key, or peer ID bytes). */
    public static Key of(byte[] dhtKey) {
        try {
            return new Key(MessageDigest.getInstance("SHA-256").digest(dhtKey));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Keyspace point of a peer: SHA-256 of its peer ID bytes. */
    public static Key of(PeerId peer) {
        return of(peer.bytes());
    }

    /** The 32-byte XOR distance to {@code other}, big-endian. */
    public byte[] distance(Key other) {
        byte[] d = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            d[i] = (byte) (hash[i] ^ other.hash[i]);
        }
        return d;
    }

    /**
     * Number of leading bits shared with {@code other}, 0..256 (256 = same key).
     * The routing table puts a peer in bucket min(commonPrefixLength, buckets - 1).
     */
    public int commonPrefixLength(Key other) {
        for (int i = 0; i < BYTES; i++) {
            int x = (hash[i] ^ other.hash[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Negative, zero or positive as {@code a} is closer to, as close as, or farther from this key than {@code b}. */
    public int compareDistance(Key a, Key b) {
        for (int i = 0; i < BYTES; i++) {
            int da = (hash[i] ^ a.hash[i]) & 0xff;
            int db = (hash[i] ^ b.hash[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    @Override
    public int compareTo(Key o) {
        return Arrays.compareUnsigned(hash, o.hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && Arrays.equals(hash, k.hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(hash, 0, 8);
    }
}
