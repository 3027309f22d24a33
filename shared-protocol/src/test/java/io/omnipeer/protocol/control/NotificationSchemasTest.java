package io.omnipeer.protocol.control;

import static io.omnipeer.protocol.control.TestSchemas.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import org.junit.jupiter.api.Test;

/** The schema of notifications.show agrees with what the daemon accepts (NotificationRequests) and answers. */
class NotificationSchemasTest {
    private static ObjectNode obj() {
        return JsonRpcCodec.mapper().createObjectNode();
    }

    private static JsonRpcMessage.Request req(ObjectNode params) {
        return new JsonRpcMessage.Request(IntNode.valueOf(1), Methods.NOTIFICATIONS_SHOW, params);
    }

    @Test
    void requestsAndResult() {
        JsonSchema request = schema("request.schema.json");
        for (ObjectNode ok : new ObjectNode[]{obj().put("title", "New message"),
                obj().put("origin", "https://chat.example").put("title", "t").put("body", "two\nlines"),
                obj().put("title", "x".repeat(128)).put("body", "")}) {
            assertThat(request.validate(JsonRpcCodec.toJson(req(ok)))).as(ok.toString()).isEmpty();
        }
        for (ObjectNode bad : new ObjectNode[]{obj(), obj().put("title", ""), obj().put("title", "x".repeat(129)),
                obj().put("title", "a\u0007b"), obj().put("title", "t").put("body", "x".repeat(1025)),
                obj().put("title", "t").put("icon", "https://tracker.example/pixel.png")}) {
            assertThat(request.validate(JsonRpcCodec.toJson(req(bad)))).as(bad.toString()).isNotEmpty();
        }
        assertThat(schema("results.schema.json#/$defs/notifications.show").validate(obj())).isEmpty();
        assertThat(Methods.REQUESTS).contains(Methods.NOTIFICATIONS_SHOW);
        assertThat(Methods.PRIVILEGED).doesNotContain(Methods.NOTIFICATIONS_SHOW);
    }
}
