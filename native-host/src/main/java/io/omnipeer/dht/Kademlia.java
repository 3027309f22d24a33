package io.omnipeer.dht;

import com.google.protobuf.ByteString;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PublicKey;
import io.omnipeer.dht.pb.DhtProtos.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kademlia DHT node without a transport: routing table, record and provider stores, the server side
 * ({@link #handle}) and the client operations (peer routing here; values in {@link ValueOperations}, providers in
 * {@link ProviderOperations}), all running over a {@link DhtNetwork} with time from a {@link DhtTimer}. The host
 * binding is {@link KadDht}; the simulation creates {@code Kademlia} objects directly over an in-memory network.
 * Spec: libp2p/specs kad-dht/README.md.
 *
 * <p>Routing table policy: a peer enters when the caller reports it as a DHT server ({@link #addPeer}, from identify)
 * or when it answers one of our requests; it leaves when a request to it fails or times out. Thread-safe; futures
 * complete on network or timer threads.
 */
public final class Kademlia {
    private static final Logger LOG = LoggerFactory.getLogger(Kademlia.class);
    /** A routing table peer is probed for liveness at most this often, ms. */
    static final long PROBE_INTERVAL_MILLIS = 10 * 60_000;
    /** Liveness probes in flight at once (one per bucket at most). */
    static final int MAX_PROBES = 64;
    /** Peers whose last probe time is remembered; past it the memory is cleared (bounds the map). */
    private static final int MAX_PROBED_PEERS = 10_000;
    /** Seeds per lookup, as a multiple of k. */
    static final int SEED_FACTOR = 2;

    private final PeerId self;
    private final DhtConfig config;
    private final DhtNetwork network;
    private final DhtTimer timer;
    private final DhtAddressBook addresses;
    private final ValidatorRegistry validators;
    private final RoutingTable table;
    private final RecordStore records;
    private final ProviderStore providers;
    private final DhtRequestHandler handler;
    private final ValueOperations values;
    private final ProviderOperations providerOps;
    private final DhtMaintenance maintenance;
    /** Peers being probed for liveness now, and when each peer was last probed (ms); guarded by {@code probes}. */
    private final Set<PeerId> probes = new HashSet<>();
    private final Map<PeerId, Long> lastProbed = new HashMap<>();

    /**
     * @param publicKeys public keys we know (answers GET_VALUE for {@code /pk/} keys); may always return empty
     */
    public Kademlia(PeerId self, DhtConfig config, DhtNetwork network, DhtTimer timer, DhtAddressBook addresses,
                    ValidatorRegistry validators, Function<PeerId, Optional<PublicKey>> publicKeys) {
        this.self = self;
        this.config = config;
        this.network = network;
        this.timer = timer;
        this.addresses = addresses;
        this.validators = validators;
        this.table = new RoutingTable(self, config.lookup().k());
        this.records = new RecordStore(config.maxRecords(), config.recordTtl(), timer);
        this.providers = new ProviderStore(config.maxProviderKeys(), config.maxProvidersPerKey(), config.providerTtl(),
                timer);
        this.handler = new DhtRequestHandler(self, config.lookup().k(), table, records, providers, validators, addresses,
                publicKeys);
        this.values = new ValueOperations(this);
        this.providerOps = new ProviderOperations(this);
        this.maintenance = new DhtMaintenance(this);
    }

    public PeerId self() {
        return self;
    }

    public DhtConfig config() {
        return config;
    }

    public RoutingTable routingTable() {
        return table;
    }

    public RecordStore records() {
        return records;
    }

    public ProviderStore providers() {
        return providers;
    }

    public ValidatorRegistry validators() {
        return validators;
    }

    DhtTimer timer() {
        return timer;
    }

    DhtAddressBook addresses() {
        return addresses;
    }

    DhtNetwork network() {
        return network;
    }

    /** Server side: the answer to one inbound request (see {@link DhtRequestHandler#handle}). */
    public Optional<Message> handle(PeerId from, Message request) {
        return handler.handle(from, request);
    }

    /**
     * {@code peer} is a DHT server (it advertised {@code /ipfs/kad/1.0.0}): try to add it to the routing table. When
     * its bucket is full, the bucket's least-recently-seen peer is probed (a FIND_NODE for our own key): if it does
     * not answer within the request timeout it is removed and {@code peer} takes its place; if it answers it stays
     * (Kademlia prefers old, proven peers). At most one probe per bucket is in flight, and a peer is probed at most
     * once per {@link #PROBE_INTERVAL_MILLIS}.
     *
     * @return true if the peer is in the table now (a probe may still add it later)
     */
    public boolean addPeer(PeerId peer) {
        if (table.add(peer)) {
            return true;
        }
        table.leastRecentlySeen(peer).ifPresent(oldest -> probe(oldest, peer));
        return false;
    }

    private void probe(PeerId oldest, PeerId newcomer) {
        long now = timer.now().toEpochMilli();
        synchronized (probes) {
            Long last = lastProbed.get(oldest);
            if ((last != null && now - last < PROBE_INTERVAL_MILLIS) || !probes.add(oldest)
                    || probes.size() > MAX_PROBES) {
                probes.remove(oldest);
                return;
            }
            if (lastProbed.size() >= MAX_PROBED_PEERS) {
                lastProbed.clear();
            }
            lastProbed.put(oldest, now);
        }
        Message ping = Message.newBuilder().setType(Message.MessageType.FIND_NODE)
                .setKey(ByteString.copyFrom(self.bytes())).build();
        request(new DhtPeer(oldest, addresses.addresses(oldest)), ping).whenComplete((m, e) -> {
            synchronized (probes) {
                probes.remove(oldest);
            }
            if (e != null) {
                LOG.debug("{} did not answer a liveness probe; {} takes its routing table slot", oldest, newcomer);
                table.add(newcomer); // request() already removed the silent peer
            }
        });
    }

    /** {@code peer} stopped serving the DHT or went away for good. */
    public void removePeer(PeerId peer) {
        table.remove(peer);
    }

    /** Starts the periodic refresh (self lookup + random walk), republishing and store expiry. */
    public void start() {
        maintenance.start();
    }

    /** Stops the periodic tasks; running operations finish on their own. */
    public void close() {
        maintenance.close();
    }

    /** Self lookup plus one random lookup per non-empty bucket (kad-dht/README.md, "Bootstrap process"). */
    public CompletableFuture<Void> bootstrap() {
        return maintenance.refresh();
    }

    /**
     * Sends one request with the lookup's request timeout; an answer puts the peer in the routing table, a failure
     * takes it out. Addresses carried by {@code to} are recorded first so the transport can dial them.
     */
    CompletableFuture<Message> request(DhtPeer to, Message request) {
        DhtPeer target = to;
        if (!to.addrs().isEmpty()) {
            addresses.addAddresses(to.id(), to.addrs());
        } else {
            target = new DhtPeer(to.id(), addresses.addresses(to.id()));
        }
        CompletableFuture<Message> answer = new CompletableFuture<>();
        DhtTimer.Cancellable deadline = timer.schedule(config.lookup().requestTimeout(), () ->
                answer.completeExceptionally(new TimeoutException(
                        "no answer from " + to.id() + " within " + config.lookup().requestTimeout().toMillis() + " ms")));
        CompletableFuture<Message> sent;
        try {
            sent = network.request(target, request);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((m, e) -> {
            deadline.cancel();
            if (e != null) {
                answer.completeExceptionally(e);
            } else {
                answer.complete(m);
            }
        });
        return answer.whenComplete((m, e) -> {
            if (e == null) {
                table.add(to.id());
            } else if (!(unwrap(e) instanceof RejectedExecutionException)
                    && table.remove(to.id())) {
                // (a request refused by our own pending bound says nothing about the peer, so it stays)
                LOG.debug("removed unresponsive {} from the routing table: {}", to.id(), e.toString());
            }
        });
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * A lookup's seeds: the routing table's 2k closest peers to {@code key}, with known addresses. Only the k closest
     * are asked unless some of them fail; the rest stand in for those.
     */
    List<DhtPeer> seeds(byte[] key) {
        List<DhtPeer> out = new ArrayList<>();
        for (PeerId p : table.closest(Key.of(key), SEED_FACTOR * config.lookup().k())) {
            out.add(new DhtPeer(p, addresses.addresses(p)));
        }
        return out;
    }

    /**
     * Runs an iterative lookup for {@code key} sending {@code type} requests; {@code onAnswer} sees every answer
     * (to collect records or providers) before its closer peers are followed.
     */
    CompletableFuture<LookupResult> lookup(byte[] key, Message.MessageType type,
                                           BiConsumer<DhtPeer, Message> onAnswer,
                                           BooleanSupplier satisfied) {
        Message req = Message.newBuilder().setType(type).setKey(ByteString.copyFrom(key)).build();
        return IterativeLookup.run(Key.of(key), seeds(key), config.lookup(), timer,
                peer -> request(peer, req).thenApply(answer -> {
                    onAnswer.accept(peer, answer);
                    return DhtPeer.fromProtos(answer.getCloserPeersList(), self);
                }), satisfied);
    }

    /** FIND_NODE lookup: the k closest peers to {@code key} that answered, closest first, with lookup figures. */
    public CompletableFuture<LookupResult> findClosest(byte[] key) {
        return lookup(key, Message.MessageType.FIND_NODE, (p, m) -> { }, () -> false);
    }

    /** The k closest peers to {@code key} (FIND_NODE lookup). */
    public CompletableFuture<List<PeerId>> getClosestPeers(byte[] key) {
        return findClosest(key).thenApply(r -> r.closest().stream().map(DhtPeer::id).toList());
    }

    /**
     * Finds {@code peer}'s addresses: a FIND_NODE lookup for its ID that stops as soon as an answer names it with
     * addresses (or it answers itself).
     * @return the peer and its addresses, or empty if the lookup ended without them
     */
    public CompletableFuture<Optional<DhtPeer>> findPeer(PeerId peer) {
        return lookupPeer(peer).thenApply(PeerLookup::peer);
    }

    /** {@link #findPeer} with the lookup's figures (hops, peers queried, time). */
    public CompletableFuture<PeerLookup> lookupPeer(PeerId peer) {
        AtomicBoolean found = new AtomicBoolean();
        AtomicReference<DhtPeer> result = new AtomicReference<>();
        return lookup(peer.bytes(), Message.MessageType.FIND_NODE, (from, answer) -> {
            if (from.id().equals(peer)) {
                result.compareAndSet(null, new DhtPeer(peer, addresses.addresses(peer)));
                found.set(true);
                return;
            }
            for (DhtPeer p : DhtPeer.fromProtos(answer.getCloserPeersList(), self)) {
                if (p.id().equals(peer) && !p.addrs().isEmpty()) {
                    addresses.addAddresses(peer, p.addrs());
                    result.compareAndSet(null, p);
                    found.set(true);
                }
            }
        }, found::get).thenApply(r -> new PeerLookup(Optional.ofNullable(result.get()), r));
    }

    /** Stores {@code value} under {@code key} locally and on the k closest peers; completes with how many peers took it. */
    public CompletableFuture<Integer> putValue(byte[] key, byte[] value) {
        return values.put(key, value);
    }

    /**
     * Gets the best value for {@code key} (quorum from the config; see {@link ValueOperations#get}).
     * @return empty if no valid value was found
     */
    public CompletableFuture<Optional<byte[]>> getValue(byte[] key) {
        return values.get(key, config.quorum());
    }

    /** As {@link #getValue(byte[])} with an explicit quorum (answers with a value, the local one counting as one). */
    public CompletableFuture<Optional<byte[]>> getValue(byte[] key, int quorum) {
        return values.get(key, quorum);
    }

    /** Announces this node as a provider of {@code key} (a multihash) to the k closest peers; completes with how many. */
    public CompletableFuture<Integer> provide(byte[] key) {
        return providerOps.provide(key);
    }

    /** Up to {@code limit} providers of {@code key} (local records first), with their addresses. */
    public CompletableFuture<List<DhtPeer>> findProviders(byte[] key, int limit) {
        return providerOps.findProviders(key, limit);
    }

    ValueOperations valueOperations() {
        return values;
    }

    ProviderOperations providerOperations() {
        return providerOps;
    }
}
