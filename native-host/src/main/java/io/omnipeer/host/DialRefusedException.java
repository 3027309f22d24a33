package io.omnipeer.host;

/**
 * A dial the host did not attempt: the address is in dial backoff after failures ({@link DialBackoff}), or
 * {@link HostLimits#maxPendingDials()} dials are already in flight.
 */
public final class DialRefusedException extends Exception {
    public DialRefusedException(String message) {
        super(message);
    }
}
