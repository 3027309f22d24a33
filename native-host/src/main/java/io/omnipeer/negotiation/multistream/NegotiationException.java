package io.omnipeer.negotiation.multistream;

/**
 * multistream-select did not agree on a protocol: the peer offered or accepted none of ours, broke the
 * protocol, closed the channel, or did not finish within {@link MultistreamHandler#NEGOTIATION_TIMEOUT}.
 */
public class NegotiationException extends RuntimeException {
    public NegotiationException(String message) {
        super(message);
    }

    public NegotiationException(String message, Throwable cause) {
        super(message, cause);
    }
}
