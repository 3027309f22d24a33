package io.omnipeer.protocol.identify;

import io.omnipeer.core.PeerId;

/** Told when a peer identified itself (on connect or by push); called on the connection's event loop. */
@FunctionalInterface
public interface IdentifyListener {
    void onIdentified(PeerId peer, IdentifyResult result);
}
