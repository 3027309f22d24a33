package io.omnipeer.dht;

import com.google.protobuf.ByteString;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.PeerId;
import io.omnipeer.dht.pb.DhtProtos.Message;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ADD_PROVIDER and GET_PROVIDERS for a {@link Kademlia} node. provide records us locally, finds the k closest peers
 * and sends each an ADD_PROVIDER naming us with our addresses (no answer is expected); findProviders returns local
 * records first, then looks up until {@code limit} providers are known. Keys we provide (at most
 * {@link #MAX_PROVIDED}) are announced again by {@link DhtMaintenance} every republish interval.
 * Spec: libp2p/specs kad-dht/README.md, "Content provider advertisement and discovery". Thread-safe.
 */
final class ProviderOperations {
    /** Own provided keys remembered for republishing. */
    static final int MAX_PROVIDED = 4096;

    private final Kademlia dht;
    private final LinkedHashSet<ByteString> provided = new LinkedHashSet<>();

    ProviderOperations(Kademlia dht) {
        this.dht = dht;
    }

    CompletableFuture<Integer> provide(byte[] key) {
        try {
            DhtRequestHandler.checkMultihashKey(key);
        } catch (DecodingException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage(), e));
        }
        dht.providers().add(key, dht.self());
        synchronized (provided) {
            ByteString k = ByteString.copyFrom(key);
            provided.remove(k);
            if (provided.size() >= MAX_PROVIDED) {
                provided.remove(provided.iterator().next());
            }
            provided.add(k);
        }
        return announce(key);
    }

    private CompletableFuture<Integer> announce(byte[] key) {
        Message add = Message.newBuilder().setType(Message.MessageType.ADD_PROVIDER).setKey(ByteString.copyFrom(key))
                .addProviderPeers(new DhtPeer(dht.self(), dht.addresses().selfAddresses())
                        .toProto(Message.ConnectionType.CONNECTED))
                .build();
        return dht.findClosest(key).thenCompose(result -> {
            AtomicInteger sent = new AtomicInteger();
            CompletableFuture<?>[] sends = result.closest().stream().map(p -> send(p, add).handle((v, e) -> {
                if (e == null) {
                    sent.incrementAndGet();
                }
                return null;
            })).toArray(CompletableFuture[]::new);
            return CompletableFuture.allOf(sends).thenApply(v -> sent.get());
        });
    }

    private CompletableFuture<Void> send(DhtPeer to, Message m) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        DhtTimer.Cancellable deadline = dht.timer().schedule(dht.config().lookup().requestTimeout(),
                () -> done.completeExceptionally(new TimeoutException("ADD_PROVIDER to " + to.id() + " timed out")));
        CompletableFuture<Void> sent;
        try {
            sent = dht.network().send(to, m);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((v, e) -> {
            deadline.cancel();
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    CompletableFuture<List<DhtPeer>> findProviders(byte[] key, int limit) {
        if (limit < 1) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("limit must be >= 1"));
        }
        Map<PeerId, DhtPeer> found = new LinkedHashMap<>();
        for (PeerId p : dht.providers().providers(key, limit)) {
            found.put(p, new DhtPeer(p, p.equals(dht.self()) ? dht.addresses().selfAddresses()
                    : dht.addresses().addresses(p)));
        }
        if (found.size() >= limit) {
            return CompletableFuture.completedFuture(List.copyOf(found.values()));
        }
        return dht.lookup(key, Message.MessageType.GET_PROVIDERS, (peer, answer) -> {
            for (DhtPeer p : DhtPeer.fromProtos(answer.getProviderPeersList(), null)) {
                if (!p.addrs().isEmpty() && !p.id().equals(dht.self())) {
                    dht.addresses().addAddresses(p.id(), p.addrs());
                }
                synchronized (found) {
                    if (found.size() < limit) {
                        found.putIfAbsent(p.id(), p);
                    }
                }
            }
        }, () -> {
            synchronized (found) {
                return found.size() >= limit;
            }
        }).thenApply(r -> {
            synchronized (found) {
                return List.copyOf(new ArrayList<>(found.values()));
            }
        });
    }

    /** Announces every remembered own key again. */
    CompletableFuture<Void> republish() {
        List<ByteString> keys;
        synchronized (provided) {
            keys = new ArrayList<>(provided);
        }
        return CompletableFuture.allOf(keys.stream().map(k -> {
            dht.providers().add(k.toByteArray(), dht.self());
            return announce(k.toByteArray());
        }).toArray(CompletableFuture[]::new));
    }
}
