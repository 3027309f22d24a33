package io.omnipeer.security.noise;

/**
 * A Noise handshake or transport failure: bad MAC, malformed handshake message or payload, invalid identity
 * signature, unexpected peer ID, exhausted nonce. The connection it belongs to must be closed.
 */
public class NoiseException extends RuntimeException {
    public NoiseException(String message) {
        super(message);
    }

    public NoiseException(String message, Throwable cause) {
        super(message, cause);
    }
}
