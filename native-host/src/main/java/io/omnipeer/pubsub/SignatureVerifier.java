package io.omnipeer.pubsub;

import io.omnipeer.pubsub.pb.PubsubProtos.Message;

/**
 * Checks a received message's signature and names its author. Production uses {@link #strictSign()}; the simulator
 * wraps it in a cache so a message verified once is not verified again by each of 100,000 simulated nodes (same
 * bytes, same verdict). Implementations are thread-safe.
 * Spec: libp2p/specs pubsub/README.md, "Message Signing" (StrictSign).
 */
@FunctionalInterface
public interface SignatureVerifier {
    /**
     * @return the verified author
     * @throws io.omnipeer.core.DecodingException if the message breaks the signature policy
     */
    io.omnipeer.core.PeerId verify(Message message);

    /** StrictSign: from, seqno and a valid signature by the key of {@code from} ({@link MessageSigning#verify}). */
    static SignatureVerifier strictSign() {
        return MessageSigning::verify;
    }
}
