package io.omnipeer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.crypto.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InMemoryPeerstoreTest {
    private final PrivateKey key = Ed25519PrivateKey.generate();
    private final PeerId peer = PeerId.fromPublicKey(key.publicKey());
    private final InMemoryPeerstore store = new InMemoryPeerstore();

    @Test
    void recordsAndNotifiesOnlyOnChange() {
        List<PeerId> changes = new ArrayList<>();
        store.addListener(changes::add);
        store.addAddresses(peer, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001/p2p/" + peer)));
        store.addAddresses(peer, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")));
        store.setProtocols(peer, List.of("/ipfs/ping/1.0.0"));
        store.setProtocols(peer, List.of("/ipfs/ping/1.0.0"));
        store.setAgentVersion(peer, "js-libp2p/2.0.0");
        store.putPublicKey(peer, key.publicKey());
        assertThat(changes).hasSize(4).containsOnly(peer);
        assertThat(store.addresses(peer)).containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"));
        assertThat(store.protocols(peer)).containsExactly("/ipfs/ping/1.0.0");
        assertThat(store.agentVersion(peer)).contains("js-libp2p/2.0.0");
        assertThat(store.publicKey(peer)).contains(key.publicKey());
        assertThat(store.peers()).containsExactly(peer);
    }

    @Test
    void unknownPeersAreEmpty() {
        assertThat(store.addresses(peer)).isEmpty();
        assertThat(store.protocols(peer)).isEmpty();
        assertThat(store.agentVersion(peer)).isEmpty();
        assertThat(store.publicKey(peer)).isEmpty();
    }

    @Test
    void addressesPerPeerAreBoundedOldestFirstOut() {
        List<Multiaddr> many = IntStream.range(0, InMemoryPeerstore.MAX_ADDRESSES_PER_PEER + 5)
                .mapToObj(i -> Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (1000 + i))).toList();
        store.addAddresses(peer, many);
        assertThat(store.addresses(peer)).hasSize(InMemoryPeerstore.MAX_ADDRESSES_PER_PEER)
                .doesNotContain(many.get(0)).contains(many.get(many.size() - 1));
    }

    @Test
    void aKeyOfAnotherPeerIsRefused() {
        assertThatThrownBy(() -> store.putPublicKey(peer, Ed25519PrivateKey.generate().publicKey()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
