package io.omnipeer.muxer.yamux;

import io.omnipeer.core.DecodingException;

/**
 * The peer violated yamux at session level (bad version or type, oversized frame, wrong stream id parity,
 * session frame on a stream id...). The session answers with Go Away (protocol error) and closes the connection.
 * Spec: libp2p/specs yamux/README.md, "Session termination".
 */
public class YamuxProtocolException extends DecodingException {
    public YamuxProtocolException(String message) {
        super(message);
    }
}
