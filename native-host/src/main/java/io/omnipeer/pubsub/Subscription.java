package io.omnipeer.pubsub;

/** A local subscription to a topic; {@link #close()} unsubscribes (idempotent, never throws). */
public interface Subscription extends AutoCloseable {
    String topic();

    @Override
    void close();
}
