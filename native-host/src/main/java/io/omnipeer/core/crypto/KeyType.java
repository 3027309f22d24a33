package io.omnipeer.core.crypto;

/**
 * libp2p key types with their protobuf enum numbers. Spec: libp2p/specs peer-ids/peer-ids.md, "Keys".
 * Only {@link #ED25519} is implemented here; others are recognised to give a precise error.
 */
public enum KeyType {
    RSA(0), ED25519(1), SECP256K1(2), ECDSA(3);

    private final int number;

    KeyType(int number) {
        this.number = number;
    }

    /** The protobuf {@code KeyType} number. */
    public int number() {
        return number;
    }
}
