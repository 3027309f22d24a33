package io.omnipeer.protocol.control;

import static io.omnipeer.protocol.control.TestSchemas.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import org.junit.jupiter.api.Test;

/** Schemas of dht.* and peers.connect {peerId} agree with what the daemon accepts and sends. */
class DhtSchemasTest {
    private static final String PEER = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

    private static ObjectNode obj() {
        return JsonRpcCodec.mapper().createObjectNode();
    }

    private static JsonRpcMessage.Request req(String method, ObjectNode params) {
        return new JsonRpcMessage.Request(IntNode.valueOf(1), method, params);
    }

    @Test
    void requests() {
        JsonSchema request = schema("request.schema.json");
        for (JsonRpcMessage m : new JsonRpcMessage[]{
                req(Methods.DHT_FIND_PEER, obj().put("peerId", PEER)),
                req(Methods.DHT_GET, obj().put("key", "/omnipeer/app/x/y")),
                req(Methods.DHT_GET, obj().put("origin", "https://a.example").put("key", "notes/1")),
                req(Methods.DHT_PUT, obj().put("key", "notes/1").put("value", "aGk=")),
                req(Methods.DHT_PROVIDE, obj().put("key", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG")),
                req(Methods.DHT_FIND_PROVIDERS, obj().put("key", "bafkreigh2akiscaildc").put("limit", 5)),
                req(Methods.PEERS_CONNECT, obj().put("peerId", PEER)),
                req(Methods.PEERS_CONNECT, obj().put("multiaddr", "/ip4/127.0.0.1/tcp/4001")),
        }) {
            assertThat(request.validate(JsonRpcCodec.toJson(m))).as(m.toString()).isEmpty();
        }
        for (JsonRpcMessage m : new JsonRpcMessage[]{
                req(Methods.DHT_GET, obj()),
                req(Methods.DHT_GET, obj().put("key", "")),
                req(Methods.DHT_PUT, obj().put("key", "k")),
                req(Methods.DHT_PUT, obj().put("key", "k").put("value", "not base64!")),
                req(Methods.DHT_FIND_PROVIDERS, obj().put("key", "Qm").put("limit", 0)),
                req(Methods.PEERS_CONNECT, obj()),
                req(Methods.PEERS_CONNECT, obj().put("peerId", PEER).put("multiaddr", "/ip4/127.0.0.1/tcp/1")),
        }) {
            assertThat(request.validate(JsonRpcCodec.toJson(m))).as(m.toString()).isNotEmpty();
        }
        assertThat(Methods.REQUESTS).contains(Methods.DHT_FIND_PEER, Methods.DHT_GET, Methods.DHT_PUT,
                Methods.DHT_PROVIDE, Methods.DHT_FIND_PROVIDERS);
        assertThat(Methods.PRIVILEGED).contains(Methods.DHT_FIND_PEER, Methods.DHT_PROVIDE, Methods.DHT_FIND_PROVIDERS)
                .doesNotContain(Methods.DHT_GET, Methods.DHT_PUT);
    }

    @Test
    void results() {
        ObjectNode found = obj().put("peerId", PEER).put("found", true);
        found.putArray("addrs").add("/ip4/127.0.0.1/tcp/4001");
        assertThat(schema("results.schema.json#/$defs/dht.findPeer").validate(found)).isEmpty();
        assertThat(schema("results.schema.json#/$defs/dht.get").validate(obj().put("key", "k").putNull("value"))).isEmpty();
        assertThat(schema("results.schema.json#/$defs/dht.get").validate(obj().put("key", "k").put("value", "aGk=")
                .put("writer", PEER).put("seq", 5))).isEmpty();
        assertThat(schema("results.schema.json#/$defs/dht.put").validate(obj().put("key", "k").put("peers", 3))).isEmpty();
        ObjectNode providers = obj();
        providers.putArray("providers").addObject().put("peerId", PEER).putArray("addrs");
        assertThat(schema("results.schema.json#/$defs/dht.findProviders").validate(providers)).isEmpty();
        assertThat(schema("results.schema.json#/$defs/dht.findProviders").validate(obj())).isNotEmpty();
    }
}
