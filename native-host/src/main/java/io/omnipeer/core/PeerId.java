package io.omnipeer.core;

import io.omnipeer.core.crypto.PublicKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * A libp2p peer ID: the multihash of the peer's marshalled public key.
 * Spec: libp2p/specs peer-ids/peer-ids.md, "Peer Ids" and "String representation".
 * Immutable and thread-safe; equality is by multihash bytes.
 */
public final class PeerId {
    /** Keys that marshal to at most this many bytes are inlined with the identity multihash (peer-ids.md). */
    public static final int MAX_INLINE_KEY_LENGTH = 42;
    /** multicodec {@code libp2p-key}, the CID codec of peer IDs. */
    public static final int LIBP2P_KEY_CODEC = 0x72;
    private static final int CID_V1 = 1;

    private final byte[] bytes;
    private final Multihash multihash;

    private PeerId(byte[] bytes, Multihash multihash) {
        this.bytes = bytes;
        this.multihash = multihash;
    }

    /** Peer ID of {@code key}: identity multihash if the marshalled key is ≤ 42 bytes, else SHA2-256. */
    public static PeerId fromPublicKey(PublicKey key) {
        byte[] marshalled = key.marshal();
        Multihash mh = marshalled.length <= MAX_INLINE_KEY_LENGTH ? Multihash.identity(marshalled) : Multihash.sha256(marshalled);
        return new PeerId(mh.bytes(), mh);
    }

    /**
     * Peer ID from its binary multihash.
     * @throws DecodingException if not a well-formed identity or SHA2-256 multihash
     */
    public static PeerId fromBytes(byte[] bytes) {
        Multihash mh = Multihash.decode(bytes);
        if (mh.code() != Multihash.IDENTITY && mh.code() != Multihash.SHA2_256) {
            throw new DecodingException("peer ID multihash must be identity or sha2-256, got code 0x" + Integer.toHexString(mh.code()));
        }
        if (mh.code() == Multihash.IDENTITY && mh.digest().length > MAX_INLINE_KEY_LENGTH) {
            throw new DecodingException("identity peer ID longer than " + MAX_INLINE_KEY_LENGTH + " bytes");
        }
        return new PeerId(bytes.clone(), mh);
    }

    /**
     * Parses the text forms: a bare base58btc multihash ("12D3KooW…", "Qm…") or a multibase CIDv1 with the
     * libp2p-key codec ("bafz…", "z…").
     * @throws DecodingException if neither form decodes to a valid peer ID
     */
    public static PeerId parse(String text) {
        if (text.startsWith("1") || text.startsWith("Qm")) {
            return fromBytes(Base58.decode(text));
        }
        byte[] cid = Multibase.decode(text);
        int[] off = {0};
        long version = Varint.decode(cid, off);
        if (version != CID_V1) {
            throw new DecodingException("peer ID CID must be version 1, got " + version);
        }
        long codec = Varint.decode(cid, off);
        if (codec != LIBP2P_KEY_CODEC) {
            throw new DecodingException("peer ID CID codec must be libp2p-key (0x72), got 0x" + Long.toHexString(codec));
        }
        return fromBytes(Arrays.copyOfRange(cid, off[0], cid.length));
    }

    /** The binary multihash (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    public Multihash multihash() {
        return multihash;
    }

    /** Legacy text form, base58btc of the multihash; what {@link #toString()} returns. */
    public String toBase58() {
        return Base58.encode(bytes);
    }

    /** CIDv1 text form with the libp2p-key codec in base32 ("bafz…"). */
    public String toCid() {
        byte[] version = Varint.encode(CID_V1);
        byte[] codec = Varint.encode(LIBP2P_KEY_CODEC);
        byte[] cid = new byte[version.length + codec.length + bytes.length];
        System.arraycopy(version, 0, cid, 0, version.length);
        System.arraycopy(codec, 0, cid, version.length, codec.length);
        System.arraycopy(bytes, 0, cid, version.length + codec.length, bytes.length);
        return Multibase.encode(Multibase.BASE32_LOWER, cid);
    }

    /** The public key inlined in an identity-multihash peer ID; empty for hashed IDs or undecodable keys. */
    public Optional<PublicKey> extractPublicKey() {
        if (multihash.code() != Multihash.IDENTITY) {
            return Optional.empty();
        }
        try {
            return Optional.of(PublicKey.unmarshal(multihash.digest()));
        } catch (DecodingException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code key} is the key this peer ID was derived from. */
    public boolean matches(PublicKey key) {
        return equals(fromPublicKey(key));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId p && Arrays.equals(p.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toBase58();
    }
}
