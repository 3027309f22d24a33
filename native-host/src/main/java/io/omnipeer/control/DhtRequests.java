package io.omnipeer.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.core.PeerId;
import io.omnipeer.dht.AppRecordValidator;
import io.omnipeer.dht.ContentKeys;
import io.omnipeer.dht.DhtPeer;
import io.omnipeer.dht.InvalidRecordException;
import io.omnipeer.dht.KadDht;
import io.omnipeer.node.Node;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage.Request;
import io.omnipeer.protocol.control.Methods;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * Serves the DHT control methods (API.md, "dht"):
 * <ul>
 *   <li>{@code dht.findPeer {peerId}} → {@code {peerId, found, addrs}};</li>
 *   <li>{@code dht.get {key}} → {@code {key, value (base64 | null), writer?, seq?}};</li>
 *   <li>{@code dht.put {key, value}} → {@code {key, peers}} (peers that stored it);</li>
 *   <li>{@code dht.provide {key}} → {@code {key, peers}}; {@code dht.findProviders {key, limit?}} →
 *       {@code {providers:[{peerId, addrs}]}} (key: base58 multihash or CIDv1).</li>
 * </ul>
 * A page's key K (already authorized by {@link OriginPolicy}) becomes {@code /omnipeer/app/<ns>/K} with
 * ns = {@link Namespaces#of}; values there are app records signed by this node's key and pages see the inner value.
 * Requests without origin (CLI, popup) name the whole key; under {@code /omnipeer/app/} they are signed the same
 * way, any other namespace ({@code /pk/}, {@code /ipns/}) takes the value as the record, which must validate.
 * Bad params throw IllegalArgumentException (→ -32602). Thread-safe.
 */
final class DhtRequests {
    /** Longest key text accepted (the schema's dhtKey bound). */
    static final int MAX_KEY_LENGTH = 512;
    /** Largest value accepted, bytes (a record travels in one DHT message of at most 64 KiB). */
    static final int MAX_VALUE_BYTES = 16 * 1024;
    /** Default and largest {@code limit} of dht.findProviders. */
    static final int DEFAULT_PROVIDERS = 20;
    static final int MAX_PROVIDERS = 100;

    private final Node node;

    DhtRequests(Node node) {
        this.node = node;
    }

    static boolean handles(String method) {
        return switch (method) {
            case Methods.DHT_FIND_PEER, Methods.DHT_GET, Methods.DHT_PUT, Methods.DHT_PROVIDE,
                 Methods.DHT_FIND_PROVIDERS -> true;
            default -> false;
        };
    }

    /** The full DHT key a request names: a page's key is put in its namespace. */
    static String dhtKey(Request request) {
        String key = RequestDispatcher.text(request.params(), "key");
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("params.key must be 1.." + MAX_KEY_LENGTH + " characters");
        }
        String origin = request.origin();
        return origin == null ? key : AppRecordValidator.KEY_PREFIX + Namespaces.of(origin) + "/" + key;
    }

    CompletableFuture<JsonNode> handle(Request request) {
        KadDht dht = node.dht();
        ObjectNode p = request.params();
        return switch (request.method()) {
            case Methods.DHT_FIND_PEER -> {
                PeerId peer = PeerId.parse(RequestDispatcher.text(p, "peerId"));
                yield dht.findPeer(peer).thenApply(found -> {
                    ObjectNode r = object().put("peerId", peer.toBase58()).put("found", found.isPresent());
                    ArrayNode addrs = r.putArray("addrs");
                    found.ifPresent(f -> f.addrs().forEach(a -> addrs.add(a.toString())));
                    return r;
                });
            }
            case Methods.DHT_GET -> get(dht, dhtKey(request));
            case Methods.DHT_PUT -> put(dht, dhtKey(request), value(p));
            case Methods.DHT_PROVIDE -> {
                byte[] key = ContentKeys.parse(RequestDispatcher.text(p, "key"));
                yield dht.provide(key).thenApply(n -> (JsonNode) object().put("key", ContentKeys.format(key))
                        .put("peers", n));
            }
            case Methods.DHT_FIND_PROVIDERS -> {
                byte[] key = ContentKeys.parse(RequestDispatcher.text(p, "key"));
                int limit = p.has("limit") ? p.get("limit").asInt(-1) : DEFAULT_PROVIDERS;
                if (limit < 1 || limit > MAX_PROVIDERS) {
                    throw new IllegalArgumentException("params.limit must be 1.." + MAX_PROVIDERS);
                }
                yield dht.findProviders(key, limit).thenApply(list -> {
                    ObjectNode r = object();
                    ArrayNode out = r.putArray("providers");
                    for (DhtPeer d : list) {
                        ArrayNode addrs = out.addObject().put("peerId", d.id().toBase58()).putArray("addrs");
                        d.addrs().forEach(a -> addrs.add(a.toString()));
                    }
                    return r;
                });
            }
            default -> throw new IllegalStateException("not a dht method: " + request.method());
        };
    }

    private static CompletableFuture<JsonNode> get(KadDht dht, String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return dht.getValue(k).thenApply(found -> {
            ObjectNode r = object().put("key", key);
            if (found.isEmpty()) {
                return r.putNull("value");
            }
            if (key.startsWith(AppRecordValidator.KEY_PREFIX)) {
                try {
                    AppRecordValidator.SignedValue v = AppRecordValidator.open(k, found.get());
                    return r.put("value", Base64.getEncoder().encodeToString(v.value()))
                            .put("writer", PeerId.fromPublicKey(v.writer()).toBase58()).put("seq", v.seq());
                } catch (InvalidRecordException e) {
                    return r.putNull("value");
                }
            }
            return r.put("value", Base64.getEncoder().encodeToString(found.get()));
        });
    }

    private static CompletableFuture<JsonNode> put(KadDht dht, String key, byte[] value) {
        CompletableFuture<Integer> stored;
        if (key.startsWith(AppRecordValidator.KEY_PREFIX)) {
            String rest = key.substring(AppRecordValidator.KEY_PREFIX.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new IllegalArgumentException("app keys are " + AppRecordValidator.KEY_PREFIX + "<ns>/<name>");
            }
            stored = dht.putAppValue(rest.substring(0, slash), rest.substring(slash + 1), value);
        } else {
            stored = dht.putValue(key.getBytes(StandardCharsets.UTF_8), value);
        }
        return stored.thenApply(n -> object().put("key", key).put("peers", n));
    }

    private static byte[] value(ObjectNode p) {
        byte[] v = RequestDispatcher.base64(p, "value");
        if (v.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("params.value exceeds " + MAX_VALUE_BYTES + " bytes");
        }
        return v;
    }

    private static ObjectNode object() {
        return JsonRpcCodec.mapper().createObjectNode();
    }
}
