package io.omnipeer.core;

import io.omnipeer.core.crypto.PublicKey;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What we know about other peers: addresses, supported protocols, agent version, public key. Thread-safe;
 * every change fires the {@link PeerstoreListener}s. Implementations bound what they keep per peer.
 */
public interface Peerstore {
    /** Adds addresses (a trailing /p2p component is dropped). */
    void addAddresses(PeerId peer, Collection<Multiaddr> addresses);

    List<Multiaddr> addresses(PeerId peer);

    /** Replaces the peer's protocol list. */
    void setProtocols(PeerId peer, Collection<String> protocols);

    Set<String> protocols(PeerId peer);

    void setAgentVersion(PeerId peer, String agentVersion);

    Optional<String> agentVersion(PeerId peer);

    void putPublicKey(PeerId peer, PublicKey key);

    Optional<PublicKey> publicKey(PeerId peer);

    Set<PeerId> peers();

    void addListener(PeerstoreListener listener);
}
