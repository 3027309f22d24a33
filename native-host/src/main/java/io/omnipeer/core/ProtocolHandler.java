package io.omnipeer.core;

/**
 * Serves one protocol on inbound streams. Called on the stream's event loop right after multistream-select agreed
 * on the protocol and before any byte of the protocol is delivered: install the protocol's handlers on
 * {@code stream.channel().pipeline()}. An exception resets the stream.
 */
@FunctionalInterface
public interface ProtocolHandler {
    void handle(Stream stream);
}
