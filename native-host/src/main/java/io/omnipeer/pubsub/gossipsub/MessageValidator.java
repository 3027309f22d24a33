package io.omnipeer.pubsub.gossipsub;

import io.omnipeer.pubsub.PubsubMessage;

import java.util.concurrent.CompletionStage;

/**
 * Application check of a message before it is delivered or forwarded, run after the signature check.
 * May complete on any thread; a validator that does not complete within
 * {@link GossipRouter#VALIDATION_TIMEOUT_MILLIS} counts as IGNORE, and one that throws counts as REJECT.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.1.md, "Extended Validators".
 */
@FunctionalInterface
public interface MessageValidator {
    CompletionStage<ValidationResult> validate(PubsubMessage message);
}
