package io.omnipeer.protocol.control;

import java.io.IOException;

/**
 * A length-prefixed frame is malformed: its declared length exceeds the limit, or the stream ended inside it.
 * The connection the frame belongs to must be closed; nothing else is affected.
 */
public final class FrameException extends IOException {
    public FrameException(String message) {
        super(message);
    }
}
