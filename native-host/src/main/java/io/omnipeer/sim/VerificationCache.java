package io.omnipeer.sim;

import io.omnipeer.core.DecodingException;
import io.omnipeer.core.PeerId;
import io.omnipeer.pubsub.SignatureVerifier;
import io.omnipeer.pubsub.pb.PubsubProtos.Message;

import java.util.HashMap;
import java.util.Map;

/**
 * StrictSign verification shared by every simulated node: each distinct message (equal protobuf content) is verified
 * once with the production check and the verdict (author or error) is replayed for the other nodes. Ed25519 in the
 * JDK costs about a millisecond per verification here, which at 100,000 receivers per message would dominate a run.
 * At most {@link #MAX_ENTRIES} verdicts are kept (then the cache starts over). Simulation thread only.
 */
final class VerificationCache implements SignatureVerifier {
    static final int MAX_ENTRIES = 100_000;

    private final SignatureVerifier strict = SignatureVerifier.strictSign();
    private final Map<Message, Object> verdicts = new HashMap<>();
    private long verified;

    @Override
    public PeerId verify(Message message) {
        Object verdict = verdicts.get(message);
        if (verdict == null) {
            if (verdicts.size() >= MAX_ENTRIES) {
                verdicts.clear();
            }
            try {
                verdict = strict.verify(message);
            } catch (DecodingException e) {
                verdict = e;
            }
            verified++;
            verdicts.put(message, verdict);
        }
        if (verdict instanceof DecodingException e) {
            throw new DecodingException(e.getMessage());
        }
        return (PeerId) verdict;
    }

    /** Signatures actually checked (distinct messages). */
    long verified() {
        return verified;
    }
}
