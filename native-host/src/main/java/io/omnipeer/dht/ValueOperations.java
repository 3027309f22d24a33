package io.omnipeer.dht;

import com.google.protobuf.ByteString;
import io.omnipeer.core.PeerId;
import io.omnipeer.dht.pb.DhtProtos.Message;
import io.omnipeer.dht.pb.DhtProtos.Record;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * PUT_VALUE and GET_VALUE for a {@link Kademlia} node: put stores locally and on the k closest peers; get collects
 * values until the quorum is reached (the local value counts as one), selects the best with the key's validator and
 * corrects peers that returned a worse value or none although among the closest. Values this node put are
 * remembered (at most {@link #MAX_PUBLISHED}) and put again by {@link DhtMaintenance}. Spec: libp2p/specs
 * kad-dht/README.md, "Value storage and retrieval". Thread-safe.
 */
final class ValueOperations {
    /** Own values remembered for republishing. */
    static final int MAX_PUBLISHED = 1024;

    private final Kademlia dht;
    private final Map<ByteString, byte[]> published = new LinkedHashMap<>();

    ValueOperations(Kademlia dht) {
        this.dht = dht;
    }

    CompletableFuture<Integer> put(byte[] key, byte[] value) {
        try {
            dht.validators().validate(key, value);
        } catch (InvalidRecordException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("invalid record: " + e.getMessage(), e));
        }
        dht.records().put(key, value);
        synchronized (published) {
            published.remove(ByteString.copyFrom(key));
            if (published.size() >= MAX_PUBLISHED) {
                published.remove(published.keySet().iterator().next());
            }
            published.put(ByteString.copyFrom(key), value.clone());
        }
        return dht.findClosest(key).thenCompose(result -> putTo(result.closest(), key, value));
    }

    /** Sends PUT_VALUE to each peer; completes with how many echoed it. */
    CompletableFuture<Integer> putTo(List<DhtPeer> peers, byte[] key, byte[] value) {
        Message put = Message.newBuilder().setType(Message.MessageType.PUT_VALUE).setKey(ByteString.copyFrom(key))
                .setRecord(Record.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value)))
                .build();
        AtomicInteger stored = new AtomicInteger();
        CompletableFuture<?>[] sends = peers.stream().map(p -> dht.request(p, put).handle((answer, e) -> {
            if (e == null) {
                stored.incrementAndGet();
            }
            return null;
        })).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(sends).thenApply(v -> stored.get());
    }

    CompletableFuture<Optional<byte[]>> get(byte[] key, int quorum) {
        List<byte[]> candidates = new ArrayList<>();
        Optional<RecordStore.StoredRecord> local = dht.records().get(key);
        byte[] localValue = null;
        if (local.isPresent()) {
            try {
                dht.validators().validate(key, local.get().value());
                localValue = local.get().value();
            } catch (InvalidRecordException e) {
                // expired by its own rules (e.g. an IPNS EOL): look in the network instead
            }
        }
        if (localValue != null && quorum <= 1) {
            return CompletableFuture.completedFuture(Optional.of(localValue));
        }
        Map<PeerId, byte[]> byPeer = new ConcurrentHashMap<>();
        Map<PeerId, DhtPeer> peers = new ConcurrentHashMap<>();
        Set<PeerId> withoutValue = ConcurrentHashMap.newKeySet();
        AtomicInteger count = new AtomicInteger(localValue == null ? 0 : 1);
        byte[] own = localValue;
        return dht.lookup(key, Message.MessageType.GET_VALUE, (peer, answer) -> {
            peers.put(peer.id(), peer);
            if (answer.hasRecord() && Arrays.equals(answer.getRecord().getKey().toByteArray(), key)) {
                byte[] v = answer.getRecord().getValue().toByteArray();
                try {
                    dht.validators().validate(key, v);
                    byPeer.put(peer.id(), v);
                    count.incrementAndGet();
                    return;
                } catch (InvalidRecordException e) {
                    // a peer serving an invalid value is treated as having none
                }
            }
            withoutValue.add(peer.id());
        }, () -> count.get() >= quorum).thenApply(result -> {
            if (own != null) {
                candidates.add(own);
            }
            candidates.addAll(byPeer.values());
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            byte[] best;
            try {
                best = candidates.get(dht.validators().select(key, candidates));
            } catch (InvalidRecordException e) {
                return Optional.empty();
            }
            correct(key, best, byPeer, withoutValue, result, peers);
            return Optional.of(best);
        });
    }

    /** Entry correction: the best value goes to peers that had a worse one and to closest peers that had none. */
    private void correct(byte[] key, byte[] best, Map<PeerId, byte[]> byPeer, Set<PeerId> withoutValue,
                         LookupResult result, Map<PeerId, DhtPeer> peers) {
        List<DhtPeer> outdated = new ArrayList<>();
        byPeer.forEach((peer, v) -> {
            if (!Arrays.equals(v, best)) {
                outdated.add(peers.getOrDefault(peer, DhtPeer.of(peer)));
            }
        });
        for (DhtPeer p : result.closest()) {
            if (withoutValue.contains(p.id())) {
                outdated.add(p);
            }
        }
        if (!outdated.isEmpty()) {
            putTo(outdated, key, best);
        }
    }

    /** Puts every remembered own value again. */
    CompletableFuture<Void> republish() {
        List<Map.Entry<ByteString, byte[]>> own;
        synchronized (published) {
            own = new ArrayList<>(published.entrySet());
        }
        return CompletableFuture.allOf(own.stream().map(e -> {
            byte[] key = e.getKey().toByteArray();
            dht.records().put(key, e.getValue());
            return dht.findClosest(key).thenCompose(r -> putTo(r.closest(), key, e.getValue()));
        }).toArray(CompletableFuture[]::new));
    }
}
