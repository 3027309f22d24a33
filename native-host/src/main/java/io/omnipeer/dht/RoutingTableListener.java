package io.omnipeer.dht;

import io.omnipeer.core.PeerId;

/**
 * Told when a peer enters or leaves a {@link RoutingTable} (the connection manager protects routing-table peers).
 * Called on the thread that changed the table, after the change, outside the table's lock; must not block.
 */
public interface RoutingTableListener {
    void onPeerAdded(PeerId peer);

    void onPeerRemoved(PeerId peer);
}
