package io.omnipeer.dht;

import io.omnipeer.core.DecodingException;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PublicKey;
import java.util.Arrays;
import java.util.List;

/**
 * {@code /pk/<peer id multihash>} records: the value is the libp2p-marshalled public key whose peer ID is the key's
 * suffix. All valid values for a key are the same key, so select takes the first. Spec: libp2p/specs
 * kad-dht/README.md, "Entry validation"; js-libp2p and go-libp2p register the same {@code pk} validator.
 */
public final class PublicKeyValidator implements RecordValidator {
    public static final String NAMESPACE = "pk";
    private static final byte[] PREFIX = {'/', 'p', 'k', '/'};

    /** The key under which {@code peer}'s public key is stored. */
    public static byte[] keyFor(PeerId peer) {
        byte[] id = peer.bytes();
        byte[] key = Arrays.copyOf(PREFIX, PREFIX.length + id.length);
        System.arraycopy(id, 0, key, PREFIX.length, id.length);
        return key;
    }

    @Override
    public void validate(byte[] key, byte[] value) throws InvalidRecordException {
        if (key.length <= PREFIX.length || !Arrays.equals(key, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
            throw new InvalidRecordException("public key record key must start with /pk/");
        }
        PeerId claimed;
        PublicKey publicKey;
        try {
            claimed = PeerId.fromBytes(Arrays.copyOfRange(key, PREFIX.length, key.length));
            publicKey = PublicKey.unmarshal(value);
        } catch (DecodingException | IllegalArgumentException e) {
            throw new InvalidRecordException("public key record does not decode: " + e.getMessage());
        }
        if (!claimed.matches(publicKey)) {
            throw new InvalidRecordException("public key does not hash to the peer ID in the key");
        }
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
        return 0;
    }
}
