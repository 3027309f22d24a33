package io.omnipeer.dht;

import java.util.List;

/**
 * Validates and ranks the values of one key namespace (the first path segment of a key, e.g. {@code pk} for
 * {@code /pk/...}). Spec: libp2p/specs kad-dht/README.md, "Entry validation". Implementations are pure functions
 * of their arguments (plus the current time for expiry) and thread-safe.
 */
public interface RecordValidator {
    /**
     * Checks {@code value} for {@code key}; called on values received in GET_VALUE answers and PUT_VALUE requests.
     * @throws InvalidRecordException saying why the value is rejected
     */
    void validate(byte[] key, byte[] value) throws InvalidRecordException;

    /**
     * Index of the best of {@code values} (all already valid, at least one); must be stable: the same inputs give
     * the same answer on every node.
     */
    int select(byte[] key, List<byte[]> values);
}
