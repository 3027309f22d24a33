package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnipeer.core.PeerId;
import io.omnipeer.dht.pb.DhtProtos.Message;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** The lookup engine over an in-memory network in virtual time (the seam the simulation uses). */
class KademliaLookupTest {
    private static final DhtConfig CONFIG = DhtConfig.defaults();

    private static List<PeerId> trueClosest(List<Kademlia> nodes, byte[] key, int k) {
        Key target = Key.of(key);
        return nodes.stream().map(Kademlia::self).sorted(Comparator.comparing(Key::of, target::compareDistance))
                .limit(k).toList();
    }

    private static byte[] randomKey() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @org.junit.jupiter.api.RepeatedTest(5)
    void findClosestReturnsTheTrueKClosestOf200Nodes() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(10));
        List<Kademlia> nodes = net.nodes(200, CONFIG);
        MemoryNetwork.wire(nodes, 0, new Random(1));
        byte[] key = randomKey();
        LookupResult r = net.await(nodes.get(0).findClosest(key));
        List<PeerId> expected = trueClosest(nodes.subList(1, nodes.size()), key, 20);
        assertThat(r.closest().stream().map(DhtPeer::id).toList()).containsExactlyElementsOf(expected);
        assertThat(r.hops()).isGreaterThanOrEqualTo(1);
        assertThat(r.queried()).isLessThanOrEqualTo(LookupOptions.DEFAULT_MAX_QUERIES);
        assertThat(r.elapsed()).isPositive();
    }

    @Test
    void disjointPathsAlsoConvergeAndQueryEachPeerOnce() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(10));
        DhtConfig d3 = CONFIG.withLookup(CONFIG.lookup().withDisjointPaths(3));
        List<Kademlia> nodes = net.nodes(150, d3);
        MemoryNetwork.wire(nodes, 0, new Random(2));
        byte[] key = randomKey();
        LookupResult r = net.await(nodes.get(0).findClosest(key));
        List<PeerId> expected = trueClosest(nodes.subList(1, nodes.size()), key, 20);
        assertThat(r.closest().stream().map(DhtPeer::id).toList()).containsAll(expected.subList(0, 10));
    }

    @Test
    void findPeerStopsWhenTheTargetIsNamed() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(10));
        List<Kademlia> nodes = net.nodes(100, CONFIG);
        MemoryNetwork.wire(nodes, 0, new Random(3));
        PeerId target = nodes.get(77).self();
        Optional<DhtPeer> found = net.await(nodes.get(5).findPeer(target));
        assertThat(found).isPresent();
        assertThat(found.get().id()).isEqualTo(target);
        assertThat(found.get().addrs()).isNotEmpty();
    }

    @Test
    void deadPeersTimeOutAndLeaveTheRoutingTable() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(10));
        List<Kademlia> nodes = net.nodes(100, CONFIG);
        MemoryNetwork.wire(nodes, 0, new Random(4));
        Kademlia origin = nodes.get(0);
        byte[] key = randomKey();
        // the ten seeds closest to the key are gone: the lookup must fall back on the next ones
        List<PeerId> dead = origin.routingTable().closest(Key.of(key), 10);
        net.dead.addAll(dead);
        LookupResult r = net.await(origin.findClosest(key));
        List<Kademlia> live = nodes.stream().filter(n -> !net.dead.contains(n.self()) && n != origin).toList();
        // other nodes still name the dead peers among their k closest, so only the nearer half is guaranteed
        assertThat(r.closest()).hasSize(20);
        assertThat(r.closest().stream().map(DhtPeer::id).toList())
                .containsAll(trueClosest(live, key, 10));
        assertThat(r.failed()).isPositive();
        net.timer.advance(LookupOptions.DEFAULT_REQUEST_TIMEOUT);
        // every peer that failed to answer left the table; the dead ones the lookup never asked are still there
        assertThat(origin.routingTable().peers().stream().filter(dead::contains).count())
                .isEqualTo(dead.size() - r.failed());
    }

    @Test
    void aPeerInventingCloserPeersCannotKeepALookupGoing() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(10));
        List<Kademlia> nodes = net.nodes(30, CONFIG);
        MemoryNetwork.wire(nodes, 0, new Random(5));
        Kademlia liar = nodes.get(1);
        net.responders.put(liar.self(), (from, request) -> {
            Message.Builder b = Message.newBuilder().setType(request.getType()).setKey(request.getKey());
            for (int i = 0; i < DhtCodec.MAX_PEERS; i++) {
                PeerId fake = PeerId.fromPublicKey(io.omnipeer.core.crypto.Ed25519PrivateKey.generate().publicKey());
                net.dead.add(fake);
                b.addCloserPeers(new DhtPeer(fake, List.of(MemoryNetwork.placeholder(fake)))
                        .toProto(Message.ConnectionType.CAN_CONNECT));
            }
            return b.build();
        });
        nodes.get(0).addPeer(liar.self());
        LookupResult r = net.await(nodes.get(0).findClosest(randomKey()));
        assertThat(r.queried()).isLessThanOrEqualTo(LookupOptions.DEFAULT_MAX_QUERIES);
        assertThat(r.closest()).isNotEmpty();
    }

    @Test
    void bootstrapFromOnePeerFillsTheRoutingTable() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(10));
        List<Kademlia> nodes = net.nodes(100, CONFIG);
        MemoryNetwork.wire(nodes, 0, new Random(6));
        Kademlia newcomer = net.node(CONFIG);
        newcomer.addPeer(nodes.get(0).self());
        net.await(newcomer.bootstrap());
        assertThat(newcomer.routingTable().size()).isGreaterThanOrEqualTo(20);
        // the self lookup found the peers closest to the newcomer
        List<PeerId> closest = trueClosest(nodes, newcomer.self().bytes(), 3);
        assertThat(newcomer.routingTable().peers()).containsAll(closest);
    }

    @Test
    void periodicRefreshRunsOnTheTimer() {
        MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(10));
        List<Kademlia> nodes = net.nodes(60, CONFIG);
        MemoryNetwork.wire(nodes, 0, new Random(7));
        Kademlia n = net.node(CONFIG.withRefreshInterval(Duration.ofMinutes(1)));
        n.addPeer(nodes.get(0).self());
        n.start();
        net.timer.advance(Duration.ofSeconds(30));
        int afterStart = net.requests;
        assertThat(n.routingTable().size()).isGreaterThan(1);
        net.timer.advance(Duration.ofMinutes(2));
        assertThat(net.requests).isGreaterThan(afterStart);
        n.close();
    }
}
