package io.omnipeer.dht;

import com.google.protobuf.ByteString;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.Multihash;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PublicKey;
import io.omnipeer.dht.pb.DhtProtos.Message;
import io.omnipeer.dht.pb.DhtProtos.Record;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of {@code /ipfs/kad/1.0.0}: answers one request message from what this node stores and knows.
 * Transport-free, so the host binding and the simulation share it. Spec: libp2p/specs kad-dht/README.md, "RPC
 * messages" (requirements per message type). Thread-safe (its stores and routing table are).
 *
 * <p>Answers carry at most k closer peers (those we know addresses for) and at most
 * {@link #MAX_PROVIDERS_PER_REPLY} providers. A request that breaks the spec's rules throws
 * {@link DecodingException}: the caller resets that stream only.
 */
public final class DhtRequestHandler {
    /** Providers per GET_PROVIDERS answer (k, as go-libp2p). */
    public static final int MAX_PROVIDERS_PER_REPLY = RoutingTable.DEFAULT_BUCKET_SIZE;
    private static final Logger LOG = LoggerFactory.getLogger(DhtRequestHandler.class);

    private final PeerId self;
    private final int k;
    private final RoutingTable table;
    private final RecordStore records;
    private final ProviderStore providers;
    private final ValidatorRegistry validators;
    private final DhtAddressBook addresses;
    private final Function<PeerId, Optional<PublicKey>> publicKeys;

    DhtRequestHandler(PeerId self, int k, RoutingTable table, RecordStore records, ProviderStore providers,
                      ValidatorRegistry validators, DhtAddressBook addresses,
                      Function<PeerId, Optional<PublicKey>> publicKeys) {
        this.self = self;
        this.k = k;
        this.table = table;
        this.records = records;
        this.providers = providers;
        this.validators = validators;
        this.addresses = addresses;
        this.publicKeys = publicKeys;
    }

    /**
     * Handles {@code request} from {@code from}.
     * @return the answer, or empty when the message type has none (ADD_PROVIDER)
     * @throws DecodingException if the request is invalid (missing key, key/record mismatch, invalid record)
     */
    public Optional<Message> handle(PeerId from, Message request) {
        byte[] key = request.getKey().toByteArray();
        return switch (request.getType()) {
            case FIND_NODE -> Optional.of(reply(request).addAllCloserPeers(closerPeers(nonEmpty(key), from)).build());
            case GET_VALUE -> Optional.of(getValue(from, request, nonEmpty(key)));
            case PUT_VALUE -> Optional.of(putValue(from, request, nonEmpty(key)));
            case ADD_PROVIDER -> {
                addProvider(from, request, nonEmpty(key));
                yield Optional.empty();
            }
            case GET_PROVIDERS -> Optional.of(getProviders(from, request, nonEmpty(key)));
            case PING -> Optional.of(reply(request).build());
            case UNRECOGNIZED -> throw new DecodingException("unknown dht message type " + request.getTypeValue());
        };
    }

    private static Message.Builder reply(Message request) {
        return Message.newBuilder().setType(request.getType()).setKey(request.getKey())
                .setClusterLevelRaw(request.getClusterLevelRaw());
    }

    private static byte[] nonEmpty(byte[] key) {
        if (key.length == 0) {
            throw new DecodingException("dht request without a key");
        }
        return key;
    }

    /** Up to k peers from the routing table closest to {@code key}, with addresses, excluding the requester. */
    List<Message.Peer> closerPeers(byte[] key, PeerId requester) {
        List<Message.Peer> out = new ArrayList<>(k);
        for (PeerId p : table.closest(Key.of(key), k + 1)) {
            if (p.equals(requester) || out.size() >= k) {
                continue;
            }
            List<Multiaddr> addrs = addresses.addresses(p);
            if (!addrs.isEmpty()) {
                out.add(new DhtPeer(p, limit(addrs)).toProto(Message.ConnectionType.CAN_CONNECT));
            }
        }
        return out;
    }

    private static List<Multiaddr> limit(List<Multiaddr> addrs) {
        return addrs.size() <= DhtCodec.MAX_ADDRS_PER_PEER ? addrs : addrs.subList(0, DhtCodec.MAX_ADDRS_PER_PEER);
    }

    private Message getValue(PeerId from, Message request, byte[] key) {
        Message.Builder b = reply(request).addAllCloserPeers(closerPeers(key, from));
        Optional<RecordStore.StoredRecord> stored = records.get(key);
        if (stored.isPresent()) {
            b.setRecord(Record.newBuilder().setKey(ByteString.copyFrom(key))
                    .setValue(ByteString.copyFrom(stored.get().value()))
                    // RFC 3339 with millisecond precision, as go and js write it
                    .setTimeReceived(stored.get().received().truncatedTo(ChronoUnit.MILLIS).toString()));
        } else if (ValidatorRegistry.namespace(key).filter(PublicKeyValidator.NAMESPACE::equals).isPresent()) {
            publicKeyRecord(key).ifPresent(b::setRecord);
        }
        return b.build();
    }

    /** A /pk/ key we can answer from the peerstore (js-libp2p and go-libp2p do the same). */
    private Optional<Record> publicKeyRecord(byte[] key) {
        try {
            PeerId peer = PeerId.fromBytes(Arrays.copyOfRange(key, 4, key.length));
            return publicKeys.apply(peer).map(pk -> Record.newBuilder().setKey(ByteString.copyFrom(key))
                    .setValue(ByteString.copyFrom(pk.marshal())).build());
        } catch (DecodingException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Message putValue(PeerId from, Message request, byte[] key) {
        if (!request.hasRecord()) {
            throw new DecodingException("PUT_VALUE without a record");
        }
        Record record = request.getRecord();
        byte[] value = record.getValue().toByteArray();
        if (!Arrays.equals(record.getKey().toByteArray(), key)) {
            throw new DecodingException("PUT_VALUE record key differs from the message key");
        }
        try {
            validators.validate(key, value);
            Optional<RecordStore.StoredRecord> existing = records.get(key);
            if (existing.isPresent() && !Arrays.equals(existing.get().value(), value)
                    && validators.select(key, List.of(existing.get().value(), value)) == 0) {
                LOG.debug("PUT_VALUE from {}: kept our better record", from);
                return request;
            }
        } catch (InvalidRecordException e) {
            throw new DecodingException("PUT_VALUE record rejected: " + e.getMessage());
        }
        if (!records.put(key, value)) {
            throw new DecodingException("record store full");
        }
        return request;
    }

    private void addProvider(PeerId from, Message request, byte[] key) {
        checkMultihashKey(key);
        for (DhtPeer p : DhtPeer.fromProtos(request.getProviderPeersList(), self)) {
            if (!p.id().equals(from)) {
                LOG.debug("ADD_PROVIDER from {} names another provider {}: ignored", from, p.id());
                continue;
            }
            if (providers.add(key, from) && !p.addrs().isEmpty()) {
                addresses.addAddresses(from, p.addrs());
            }
        }
    }

    /** ADD_PROVIDER keys are multihashes (CID content keys); kad-dht/README.md requires a valid CID. */
    static void checkMultihashKey(byte[] key) {
        try {
            Multihash.decode(key);
        } catch (DecodingException | IllegalArgumentException e) {
            throw new DecodingException("provider key is not a multihash: " + e.getMessage());
        }
    }

    private Message getProviders(PeerId from, Message request, byte[] key) {
        Message.Builder b = reply(request).addAllCloserPeers(closerPeers(key, from));
        for (PeerId p : providers.providers(key, MAX_PROVIDERS_PER_REPLY)) {
            List<Multiaddr> addrs = p.equals(self) ? addresses.selfAddresses() : addresses.addresses(p);
            b.addProviderPeers(new DhtPeer(p, limit(addrs)).toProto(Message.ConnectionType.CAN_CONNECT));
        }
        return b.build();
    }
}
