package io.omnipeer.dht;

/** A DHT record that its namespace's validator rejects (bad signature, expired, wrong key, unknown namespace). */
public final class InvalidRecordException extends Exception {
    public InvalidRecordException(String message) {
        super(message);
    }
}
