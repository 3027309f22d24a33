package io.omnipeer.core.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.crypto.pb.KeysProtos;

/**
 * A libp2p public key. Implementations are immutable and thread-safe.
 * Spec: libp2p/specs peer-ids/peer-ids.md, "Keys" and "Key Types".
 */
public interface PublicKey {
    /** Bound on a marshalled public key we accept (an RSA-4096 key is ~550 bytes). */
    int MAX_MARSHALLED_LENGTH = 8192;

    KeyType type();

    /** The type-specific key bytes (Ed25519: the 32-byte encoded point). */
    byte[] raw();

    /** Verifies {@code sig} over {@code data}; false for any malformed signature, never throws. */
    boolean verify(byte[] data, byte[] sig);

    /** libp2p {@code PublicKey} protobuf {@code {Type=1, Data=2}}, deterministic encoding. */
    default byte[] marshal() {
        return KeysProtos.PublicKey.newBuilder()
                .setType(KeysProtos.KeyType.forNumber(type().number()))
                .setData(ByteString.copyFrom(raw()))
                .build()
                .toByteArray();
    }

    /**
     * Parses a libp2p {@code PublicKey} protobuf.
     * @throws DecodingException if malformed, oversized, or of a type other than Ed25519 ("unsupported key type")
     */
    static PublicKey unmarshal(byte[] bytes) {
        if (bytes.length > MAX_MARSHALLED_LENGTH) {
            throw new DecodingException("public key protobuf longer than " + MAX_MARSHALLED_LENGTH + " bytes");
        }
        KeysProtos.PublicKey pb;
        try {
            pb = KeysProtos.PublicKey.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new DecodingException("malformed public key protobuf: " + e.getMessage(), e);
        }
        if (pb.getType() != KeysProtos.KeyType.Ed25519) {
            throw new DecodingException("unsupported key type " + pb.getType());
        }
        return Ed25519PublicKey.fromRaw(pb.getData().toByteArray());
    }
}
