package io.omnipeer.node;

/** A live subscription returned by {@link Node#subscribe}; {@link #close()} unsubscribes (idempotent, never throws). */
public interface PubsubSubscription extends AutoCloseable {
    String topic();

    @Override
    void close();
}
