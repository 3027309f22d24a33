package io.omnipeer.protocol.ping;

/** A ping failed: no echo in time, a wrong echo, or the stream closed. */
public class PingException extends RuntimeException {
    public PingException(String message) {
        super(message);
    }
}
