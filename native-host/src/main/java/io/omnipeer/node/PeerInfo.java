package io.omnipeer.node;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;

import java.util.List;

/** A connected peer as the node knows it: addresses, protocols and agent version from identify ("" if unknown). */
public record PeerInfo(PeerId id, List<Multiaddr> addrs, List<String> protocols, String agentVersion) {
    public PeerInfo {
        addrs = List.copyOf(addrs);
        protocols = List.copyOf(protocols);
        agentVersion = agentVersion == null ? "" : agentVersion;
    }
}
