package io.omnipeer.dht;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import java.util.List;

/**
 * Where the DHT reads and records peer addresses (the host's peerstore in production, a map in the simulation).
 * Spec: kad-dht/README.md: "Any time a relevant Peer record is encountered, the associated multiaddrs are stored in
 * the node's peerbook." Implementations are thread-safe and bounded.
 */
public interface DhtAddressBook {
    /** Known addresses of {@code peer}, without {@code /p2p/}; empty if none. */
    List<Multiaddr> addresses(PeerId peer);

    /** Records addresses learned for {@code peer}. */
    void addAddresses(PeerId peer, List<Multiaddr> addrs);

    /** Our own addresses, announced in ADD_PROVIDER. */
    List<Multiaddr> selfAddresses();

    /** An address book that knows nothing (simulations where addresses do not matter). */
    static DhtAddressBook none() {
        return new DhtAddressBook() {
            @Override
            public List<Multiaddr> addresses(PeerId peer) {
                return List.of();
            }

            @Override
            public void addAddresses(PeerId peer, List<Multiaddr> addrs) {
            }

            @Override
            public List<Multiaddr> selfAddresses() {
                return List.of();
            }
        };
    }
}
