package io.omnipeer.dht;

import java.util.Optional;

/**
 * The outcome of a peer lookup ({@link Kademlia#lookupPeer}): the peer with its addresses if some queried peer
 * named it (or it answered itself), and the lookup's figures (hops, peers queried and failed, time).
 */
public record PeerLookup(Optional<DhtPeer> peer, LookupResult figures) {
}
