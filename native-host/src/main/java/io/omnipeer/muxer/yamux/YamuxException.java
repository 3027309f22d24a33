package io.omnipeer.muxer.yamux;

/** A stream could not be opened: the session is closing, or a stream cap or the ACK backlog limit is reached. */
public class YamuxException extends RuntimeException {
    public YamuxException(String message) {
        super(message);
    }
}
