package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnipeer.core.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A full k-bucket and a newcomer (kad-dht/README.md, "Kademlia routing table"; the original Kademlia policy): the
 * bucket's least-recently-seen peer is probed; a silent one is replaced by the newcomer, a live one keeps its slot.
 * Nodes on {@link MemoryNetwork} in virtual time.
 */
class BucketProbeTest {
    private static final DhtConfig K2 = DhtConfig.defaults().withLookup(DhtConfig.defaults().lookup().withK(2)
            .withRequestTimeout(Duration.ofSeconds(3)));

    /** A node, plus nodes that all land in the node's bucket 0 (first key bit differs): the first {@code n}. */
    private static List<Kademlia> bucketZero(MemoryNetwork net, Kademlia self, int n) {
        List<Kademlia> out = new ArrayList<>();
        while (out.size() < n) {
            Kademlia k = net.node(K2);
            if (Key.of(self.self()).commonPrefixLength(Key.of(k.self())) == 0) {
                out.add(k);
            } else {
                net.nodes.remove(k.self());
            }
        }
        return out;
    }

    @Test
    void aSilentOldestPeerIsReplacedByTheNewcomer() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(10));
        Kademlia self = net.node(K2);
        List<Kademlia> peers = bucketZero(net, self, 3);
        PeerId oldest = peers.get(0).self();
        PeerId newcomer = peers.get(2).self();
        assertThat(self.addPeer(oldest)).isTrue();
        assertThat(self.addPeer(peers.get(1).self())).isTrue();
        net.dead.add(oldest);

        assertThat(self.addPeer(newcomer)).as("bucket full: refused for now").isFalse();
        net.timer.runUntil(() -> self.routingTable().contains(newcomer), 10_000);
        assertThat(self.routingTable().peers()).containsExactlyInAnyOrder(peers.get(1).self(), newcomer);
    }

    @Test
    void aLiveOldestPeerKeepsItsSlotAndIsProbedOnlyOncePerInterval() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(10));
        Kademlia self = net.node(K2);
        List<Kademlia> peers = bucketZero(net, self, 4);
        self.addPeer(peers.get(0).self());
        self.addPeer(peers.get(1).self());
        int before = net.requests;

        assertThat(self.addPeer(peers.get(2).self())).isFalse();
        net.timer.runUntil(() -> false, 10_000);
        assertThat(self.routingTable().peers()).containsExactlyInAnyOrder(peers.get(0).self(), peers.get(1).self());
        assertThat(net.requests - before).as("one probe").isEqualTo(1);

        // the probed peer is now the most recently seen: the next newcomer probes the other one, then nobody
        self.addPeer(peers.get(3).self());
        self.addPeer(peers.get(3).self());
        net.timer.runUntil(() -> false, 10_000);
        self.addPeer(peers.get(2).self());
        net.timer.runUntil(() -> false, 10_000);
        assertThat(net.requests - before).as("each peer probed once per interval").isEqualTo(2);
        assertThat(self.routingTable().size()).isEqualTo(2);
    }
}
