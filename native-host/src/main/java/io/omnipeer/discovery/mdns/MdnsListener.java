package io.omnipeer.discovery.mdns;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;

import java.util.List;

/**
 * Told about peers that announced themselves over mDNS (libp2p/specs discovery/mdns.md).
 * Called on the mDNS service's event-loop thread: return quickly, never block.
 */
@FunctionalInterface
public interface MdnsListener {

    /**
     * @param peer  the announced peer (never our own)
     * @param addrs its addresses from the {@code dnsaddr=} TXT strings, without the {@code /p2p/<id>} suffix;
     *              at least one, at most {@link PeerAnnouncement#MAX_ADDRS_PER_PEER}
     */
    void onPeerFound(PeerId peer, List<Multiaddr> addrs);
}
