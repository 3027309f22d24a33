package io.omnipeer.protocol.identify;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PublicKey;
import java.util.List;
import java.util.Optional;

/**
 * What a peer told us about itself in an Identify message (libp2p/specs identify/README.md). Fields the peer left
 * out are empty; a push may carry only the fields that changed. Addresses that failed to decode are dropped.
 *
 * @param peer            the connection's authenticated peer
 * @param protocolVersion e.g. {@code ipfs/0.1.0}
 * @param agentVersion    e.g. {@code js-libp2p/2.0.0}
 * @param publicKey       the peer's key (checked against {@code peer})
 * @param listenAddresses where the peer says it listens
 * @param observedAddress our address as the peer sees it
 * @param protocols       protocols the peer serves
 */
public record IdentifyResult(PeerId peer, Optional<String> protocolVersion, Optional<String> agentVersion,
                             Optional<PublicKey> publicKey, List<Multiaddr> listenAddresses,
                             Optional<Multiaddr> observedAddress, List<String> protocols) {
}
