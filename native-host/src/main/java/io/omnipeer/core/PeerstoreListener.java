package io.omnipeer.core;

/** Told after any change to what a {@link Peerstore} knows about {@code peer}; called on the changing thread. */
@FunctionalInterface
public interface PeerstoreListener {
    void peerChanged(PeerId peer);
}
