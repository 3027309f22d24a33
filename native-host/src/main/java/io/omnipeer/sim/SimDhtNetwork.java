package io.omnipeer.sim;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.dht.DhtAddressBook;
import io.omnipeer.dht.DhtNetwork;
import io.omnipeer.dht.DhtPeer;
import io.omnipeer.dht.Kademlia;
import io.omnipeer.dht.pb.DhtProtos.Message;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A node's {@link DhtNetwork} and {@link DhtAddressBook} in the simulation. A request reaches a live peer one link
 * latency later, is answered there by the production server code ({@link Kademlia#handle}), and the answer comes
 * back one latency after that; a request to a node that left is never answered, so the caller's request timeout
 * fires in virtual time, as it would for a peer that vanished. Receiving a request adds the requester to the
 * receiver's routing table, as identify does for a peer that advertises {@code /ipfs/kad/1.0.0}. Connections are
 * taken as open (no dial cost). Every node has one synthetic address ({@code /ip4/10.x.y.z/tcp/4001}) that the
 * address book always knows. Counts requests. Simulation thread only.
 */
final class SimDhtNetwork implements DhtNetwork, DhtAddressBook {
    private final DhtSimulation world;
    private final SimNode node;

    SimDhtNetwork(DhtSimulation world, SimNode node) {
        this.world = world;
        this.node = node;
    }

    @Override
    public CompletableFuture<Message> request(DhtPeer to, Message request) {
        CompletableFuture<Message> answer = new CompletableFuture<>();
        SimNode remote = world.overlay().node(to.id());
        world.requests++;
        if (remote == null) {
            answer.completeExceptionally(new IllegalStateException("no route to " + to.id()));
            return answer;
        }
        int oneWay = world.overlay().latency(node, remote);
        world.overlay().clock().schedule(oneWay, () -> {
            if (!remote.isAlive()) {
                return; // gone: no answer, the caller times out
            }
            Kademlia server = DhtSimulation.dht(remote);
            server.addPeer(node.id());
            Optional<Message> reply;
            try {
                reply = server.handle(node.id(), request);
            } catch (RuntimeException e) {
                world.overlay().clock().schedule(oneWay, () -> answer.completeExceptionally(e));
                return;
            }
            world.overlay().clock().schedule(oneWay, () -> {
                if (node.isAlive()) {
                    answer.complete(reply.orElse(null));
                }
            });
        });
        return answer;
    }

    @Override
    public CompletableFuture<Void> send(DhtPeer to, Message message) {
        return request(to, message).thenApply(m -> null);
    }

    @Override
    public List<Multiaddr> addresses(PeerId peer) {
        SimNode n = world.overlay().node(peer);
        return n == null ? List.of() : List.of(world.address(n));
    }

    @Override
    public void addAddresses(PeerId peer, List<Multiaddr> addrs) {
        // every simulated node's one address is already known
    }

    @Override
    public List<Multiaddr> selfAddresses() {
        return List.of(world.address(node));
    }
}
