package io.omnipeer.protocol.perf;

/** A perf run failed: the stream closed early, the peer sent more or fewer bytes than asked, or nothing moved. */
public class PerfException extends RuntimeException {
    public PerfException(String message) {
        super(message);
    }
}
