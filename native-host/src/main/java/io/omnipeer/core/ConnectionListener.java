package io.omnipeer.core;

/** Told about connections of a {@link Host}; called on the connection's event loop, so return quickly. */
public interface ConnectionListener {
    void onConnected(Connection connection);

    default void onDisconnected(Connection connection) {
    }
}
