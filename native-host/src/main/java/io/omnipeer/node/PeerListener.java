package io.omnipeer.node;

import io.omnipeer.core.PeerId;

/**
 * Told when the first connection to a peer opens and when its last one closes. Called on node threads:
 * implementations must be quick and must not block.
 */
public interface PeerListener {
    void onPeerConnected(PeerId peer);

    void onPeerDisconnected(PeerId peer);
}
