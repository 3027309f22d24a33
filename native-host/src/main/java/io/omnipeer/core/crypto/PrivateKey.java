package io.omnipeer.core.crypto;

import com.google.protobuf.InvalidProtocolBufferException;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.crypto.pb.KeysProtos;

/**
 * A libp2p private key (identity key). Implementations are immutable and thread-safe.
 * Spec: libp2p/specs peer-ids/peer-ids.md, "Keys".
 */
public interface PrivateKey {
    PublicKey publicKey();

    /** Signs {@code data} (Ed25519: pure EdDSA, 64-byte signature). */
    byte[] sign(byte[] data);

    /** libp2p {@code PrivateKey} protobuf (Ed25519 data: 32-byte seed followed by the 32-byte public key). */
    byte[] marshal();

    /**
     * Parses a libp2p {@code PrivateKey} protobuf as stored on disk by libp2p implementations.
     * @throws DecodingException if malformed, of a type other than Ed25519, or the embedded public key does not match
     */
    static PrivateKey unmarshal(byte[] bytes) {
        if (bytes.length > PublicKey.MAX_MARSHALLED_LENGTH) {
            throw new DecodingException("private key protobuf longer than " + PublicKey.MAX_MARSHALLED_LENGTH + " bytes");
        }
        KeysProtos.PrivateKey pb;
        try {
            pb = KeysProtos.PrivateKey.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new DecodingException("malformed private key protobuf: " + e.getMessage(), e);
        }
        if (pb.getType() != KeysProtos.KeyType.Ed25519) {
            throw new DecodingException("unsupported key type " + pb.getType());
        }
        return Ed25519PrivateKey.fromLibp2pData(pb.getData().toByteArray());
    }
}
