package io.omnipeer.dht;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.dht.pb.DhtProtos.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Kademlia nodes wired in memory: a request is encoded, decoded (same bounds as the wire) and handled by the target
 * node after {@code latency} of virtual time. Peers can be marked dead (requests time out) or replaced by a custom
 * responder (hostile peers).
 */
final class MemoryNetwork {
    final VirtualTimer timer = new VirtualTimer();
    final Map<PeerId, Kademlia> nodes = new ConcurrentHashMap<>();
    final Set<PeerId> dead = ConcurrentHashMap.newKeySet();
    final Map<PeerId, BiFunction<PeerId, Message, Message>> responders = new ConcurrentHashMap<>();
    final Duration latency;
    /** Answers leave out peers without addresses, so every peer gets a placeholder one (never dialled here). */
    static final DhtAddressBook ADDRESSES = new DhtAddressBook() {
        @Override
        public List<io.omnipeer.core.Multiaddr> addresses(PeerId peer) {
            return List.of(placeholder(peer));
        }

        @Override
        public void addAddresses(PeerId peer, List<io.omnipeer.core.Multiaddr> addrs) {
        }

        @Override
        public List<io.omnipeer.core.Multiaddr> selfAddresses() {
            return List.of(io.omnipeer.core.Multiaddr.parse("/ip4/127.0.0.1/tcp/1"));
        }
    };

    static io.omnipeer.core.Multiaddr placeholder(PeerId peer) {
        return io.omnipeer.core.Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (1 + Math.floorMod(peer.hashCode(), 60000)));
    }
    int requests;

    MemoryNetwork(Duration latency) {
        this.latency = latency;
    }

    Kademlia node(DhtConfig config) {
        PeerId id = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Kademlia k = new Kademlia(id, config, new Endpoint(id), timer, ADDRESSES,
                ValidatorRegistry.standard(timer), p -> p.extractPublicKey());
        nodes.put(id, k);
        return k;
    }

    List<Kademlia> nodes(int n, DhtConfig config) {
        List<Kademlia> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(node(config));
        }
        return out;
    }

    /**
     * Each node offers every other node (in random order) to its routing table, which keeps at most k per bucket:
     * the shape of a converged network. {@code fanout} random peers only, if positive, for a sparse one.
     */
    static void wire(List<Kademlia> nodes, int fanout, java.util.Random random) {
        for (Kademlia n : nodes) {
            List<Kademlia> others = new ArrayList<>(nodes);
            java.util.Collections.shuffle(others, random);
            others.stream().limit(fanout > 0 ? fanout : others.size()).forEach(o -> n.addPeer(o.self()));
        }
    }

    <T> T await(CompletableFuture<T> f) {
        timer.runUntil(f::isDone, 10_000_000);
        return f.join();
    }

    private final class Endpoint implements DhtNetwork {
        private final PeerId self;

        Endpoint(PeerId self) {
            this.self = self;
        }

        @Override
        public CompletableFuture<Message> request(DhtPeer to, Message request) {
            requests++;
            CompletableFuture<Message> f = new CompletableFuture<>();
            if (dead.contains(to.id())) {
                return f; // never answers: the caller's timeout fires
            }
            byte[] wire = DhtCodec.encode(request);
            timer.schedule(latency, () -> {
                try {
                    Message decoded = DhtCodec.decode(wire);
                    BiFunction<PeerId, Message, Message> custom = responders.get(to.id());
                    Message answer;
                    if (custom != null) {
                        answer = custom.apply(self, decoded);
                    } else {
                        Kademlia target = nodes.get(to.id());
                        if (target == null) {
                            throw new IllegalStateException("no such node");
                        }
                        answer = target.handle(self, decoded).orElseThrow();
                    }
                    byte[] back = DhtCodec.encode(answer);
                    timer.schedule(latency, () -> {
                        try {
                            f.complete(DhtCodec.decode(back));
                        } catch (RuntimeException e) {
                            f.completeExceptionally(e);
                        }
                    });
                } catch (RuntimeException e) {
                    f.completeExceptionally(e);
                }
            });
            return f;
        }

        @Override
        public CompletableFuture<Void> send(DhtPeer to, Message message) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            if (dead.contains(to.id())) {
                return f;
            }
            timer.schedule(latency, () -> {
                Kademlia target = nodes.get(to.id());
                if (target != null) {
                    try {
                        target.handle(self, message);
                    } catch (RuntimeException e) {
                        // a rejected ADD_PROVIDER resets the stream; the sender does not learn about it
                    }
                }
                f.complete(null);
            });
            return f;
        }
    }

    static Optional<Kademlia> byId(List<Kademlia> nodes, PeerId id) {
        return nodes.stream().filter(n -> n.self().equals(id)).findFirst();
    }
}
