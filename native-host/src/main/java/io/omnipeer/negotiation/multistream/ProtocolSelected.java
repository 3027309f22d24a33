package io.omnipeer.negotiation.multistream;

/**
 * User event fired down the pipeline by {@link MultistreamHandler} once both sides agreed on {@code protocol},
 * before any byte that follows the negotiation is passed on.
 */
public record ProtocolSelected(String protocol) {
}
