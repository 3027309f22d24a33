package io.omnipeer.protocol.control;

import static io.omnipeer.protocol.control.TestSchemas.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON Schemas the extension validates against agree with what the Java codec writes. */
class SchemaTest {
    private static final String PEER = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

    private static ObjectNode obj() {
        return JsonRpcCodec.mapper().createObjectNode();
    }

    private static JsonNode json(JsonRpcMessage m) {
        return JsonRpcCodec.toJson(m);
    }

    @Test
    void validRequestsPass() {
        JsonSchema request = schema("request.schema.json");
        var id = IntNode.valueOf(1);
        JsonRpcMessage[] ok = {
                new JsonRpcMessage.Request(id, Methods.NODE_INFO, null),
                new JsonRpcMessage.Request(id, Methods.PUBSUB_SUBSCRIBE, obj().put("topic", "chat").put("origin", "https://a.example")),
                new JsonRpcMessage.Request(id, Methods.PUBSUB_PUBLISH, obj().put("topic", "chat").put("data", "aGk=")),
                new JsonRpcMessage.Request(id, Methods.PEERS_CONNECT, obj().put("multiaddr", "/ip4/127.0.0.1/tcp/4001")),
                new JsonRpcMessage.Request(id, Methods.GRANTS_ADD, obj().put("origin", "https://a.example")
                        .set("capabilities", JsonRpcCodec.mapper().createArrayNode().add("pubsub:chat").add("peers:read"))),
        };
        for (JsonRpcMessage m : ok) {
            assertThat(request.validate(json(m))).as(m.toString()).isEmpty();
            assertThat(schema("bridge-message.schema.json").validate(json(m))).as(m.toString()).isEmpty();
        }
    }

    @Test
    void invalidRequestsFail() {
        JsonSchema request = schema("request.schema.json");
        var id = IntNode.valueOf(1);
        JsonRpcMessage[] bad = {
                new JsonRpcMessage.Request(id, "node.shutdown", null),
                new JsonRpcMessage.Request(id, Methods.PUBSUB_SUBSCRIBE, obj()),
                new JsonRpcMessage.Request(id, Methods.PUBSUB_PUBLISH, obj().put("topic", "chat").put("data", "not base64!")),
                new JsonRpcMessage.Request(id, Methods.GRANTS_ADD, obj().put("origin", "o")
                        .set("capabilities", JsonRpcCodec.mapper().createArrayNode().add("files:x"))),
        };
        for (JsonRpcMessage m : bad) {
            assertThat(request.validate(json(m))).as(m.toString()).isNotEmpty();
        }
    }

    @Test
    void responsesNotificationsResultsAndChunksPass() {
        var info = obj().put("peerId", PEER).put("connectedPeers", 2).put("agentVersion", "omnipeer/0.1.0");
        info.putArray("listenAddrs").add("/ip4/127.0.0.1/tcp/4001");
        assertThat(schema("results.schema.json#/$defs/node.info").validate(info)).isEmpty();
        assertThat(schema("results.schema.json#/$defs/node.info").validate(info.deepCopy().without("peerId"))).isNotEmpty();
        assertThat(schema("response.schema.json").validate(json(new JsonRpcMessage.Response(IntNode.valueOf(1), info)))).isEmpty();
        assertThat(schema("response.schema.json").validate(json(new JsonRpcMessage.ErrorResponse(null,
                new RpcError(ErrorCodes.PARSE_ERROR, "parse error"))))).isEmpty();
        var message = obj().put("subscription", "s1").put("topic", "chat").put("from", PEER).put("data", "aGk=").put("seqno", "AAAAAAAAAAE=");
        assertThat(schema("notification.schema.json").validate(json(new JsonRpcMessage.Notification(Methods.PUBSUB_MESSAGE, message)))).isEmpty();
        assertThat(schema("notification.schema.json").validate(json(new JsonRpcMessage.Notification(Methods.PEERS_CHANGED, obj())))).isNotEmpty();
        byte[] chunk = NativeMessagingChunks.split(NativeMessagingChunksTest.messageOfSize(NativeMessagingFrames.MAX_HOST_TO_BROWSER_BYTES + 10, "x")).get(1);
        assertThat(schema("chunk.schema.json").validate(readTree(chunk))).isEmpty();
    }

    private static JsonNode readTree(byte[] b) {
        try {
            return JsonRpcCodec.mapper().readTree(b);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
