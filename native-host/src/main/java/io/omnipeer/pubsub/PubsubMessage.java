package io.omnipeer.pubsub;

import io.omnipeer.core.PeerId;

/**
 * A pubsub message as delivered to local subscribers: the topic, the author's peer ID (the {@code from}
 * field, verified by its signature under StrictSign), the opaque payload and the author's 8-byte seqno.
 * Spec: libp2p/specs pubsub/README.md, "The Message".
 */
public record PubsubMessage(String topic, PeerId from, byte[] data, byte[] seqno) {
}
