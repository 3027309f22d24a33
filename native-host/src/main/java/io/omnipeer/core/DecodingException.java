package io.omnipeer.core;

/**
 * Malformed or oversized input met while decoding a wire or text format (varint, multihash,
 * multiaddr, peer ID, key protobuf, protocol frame). The message says what was being decoded
 * and why it was rejected. Callers at a connection or stream edge close only that connection
 * or stream and log the message.
 */
public class DecodingException extends RuntimeException {
    public DecodingException(String message) {
        super(message);
    }

    public DecodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
