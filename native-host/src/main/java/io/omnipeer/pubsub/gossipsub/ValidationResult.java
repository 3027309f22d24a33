package io.omnipeer.pubsub.gossipsub;

/**
 * Outcome of a topic validator. Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.1.md, "Extended Validators".
 * ACCEPT delivers and forwards; REJECT drops and penalises the peer that sent it; IGNORE drops silently.
 */
public enum ValidationResult {
    ACCEPT, REJECT, IGNORE
}
