package io.omnipeer.protocol.control;

import static io.omnipeer.protocol.control.TestSchemas.schema;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Schemas of streams.* requests and notifications agree with what the daemon accepts and sends. */
class StreamSchemasTest {
    private static final String PEER = "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

    private static ObjectNode obj() {
        return JsonRpcCodec.mapper().createObjectNode();
    }

    private static JsonRpcMessage.Request req(String method, ObjectNode params) {
        return new JsonRpcMessage.Request(IntNode.valueOf(1), method, params);
    }

    @Test
    void requestsAndNotifications() {
        JsonSchema request = schema("request.schema.json");
        String page = "https://a.example";
        for (JsonRpcMessage m : new JsonRpcMessage[]{
                req(Methods.STREAMS_OPEN, obj().put("origin", page).put("peerId", PEER).put("protocol", "chat/1.0.0")),
                req(Methods.STREAMS_HANDLE, obj().put("origin", page).put("protocol", "chat/1.0.0")),
                req(Methods.STREAMS_UNHANDLE, obj().put("origin", page).put("handler", "h1")),
                req(Methods.STREAMS_WRITE, obj().put("origin", page).put("stream", "st1").put("data", "aGk=")),
                req(Methods.STREAMS_CLOSE, obj().put("stream", "st1")),
                req(Methods.STREAMS_RESET, obj().put("stream", "st1")),
                req(Methods.GRANTS_ADD, obj().put("origin", page).set("capabilities", JsonRpcCodec.mapper()
                        .createArrayNode().add("stream:chat/1.0.0").add("dht:notes/").add("storage"))),
        }) {
            assertThat(request.validate(JsonRpcCodec.toJson(m))).as(m.toString()).isEmpty();
        }
        for (JsonRpcMessage m : new JsonRpcMessage[]{
                req(Methods.STREAMS_OPEN, obj().put("protocol", "chat/1.0.0")),
                req(Methods.STREAMS_WRITE, obj().put("stream", "st1").put("data", "not base64!")),
                req(Methods.STREAMS_HANDLE, obj().put("protocol", "")),
                req(Methods.STREAMS_CLOSE, obj().put("stream", "st1").put("extra", 1)),
        }) {
            assertThat(request.validate(JsonRpcCodec.toJson(m))).as(m.toString()).isNotEmpty();
        }
        assertThat(Methods.REQUESTS).contains(Methods.STREAMS_OPEN, Methods.STREAMS_WRITE, Methods.STREAMS_RESET);
        assertThat(Methods.PRIVILEGED).doesNotContain(Methods.STREAMS_OPEN, Methods.STREAMS_HANDLE);

        JsonSchema notification = schema("notification.schema.json");
        for (JsonRpcMessage m : new JsonRpcMessage[]{
                new JsonRpcMessage.Notification(Methods.STREAMS_INCOMING, obj().put("handler", "h1").put("stream", "st2")
                        .put("peerId", PEER).put("protocol", "chat/1.0.0")),
                new JsonRpcMessage.Notification(Methods.STREAMS_DATA, obj().put("stream", "st2").put("data", "aGk=")),
                new JsonRpcMessage.Notification(Methods.STREAMS_CLOSED, obj().put("stream", "st2")),
                new JsonRpcMessage.Notification(Methods.STREAMS_CLOSED, obj().put("stream", "st2").put("reason", "reset")),
        }) {
            assertThat(notification.validate(JsonRpcCodec.toJson(m))).as(m.toString()).isEmpty();
        }
    }
}
