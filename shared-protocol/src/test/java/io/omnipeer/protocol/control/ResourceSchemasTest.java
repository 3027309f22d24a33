package io.omnipeer.protocol.control;

import static io.omnipeer.protocol.control.TestSchemas.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import org.junit.jupiter.api.Test;

/** Schemas of apps.usage, settings.get/set and the 4290 error data agree with what the daemon sends. */
class ResourceSchemasTest {

    private static ObjectNode obj() {
        return JsonRpcCodec.mapper().createObjectNode();
    }

    private static ObjectNode settingsParams(String field, Object value) {
        ObjectNode p = obj();
        ObjectNode s = p.putObject("settings");
        if (value instanceof Integer i) {
            s.put(field, i);
        } else {
            s.put(field, String.valueOf(value));
        }
        return p;
    }

    private static ObjectNode schedule(String start) {
        ObjectNode o = obj().put("start", start).put("end", "07:00");
        o.putArray("days").add(1).add(5);
        return o.put("bandwidthInKiBps", 100).put("bandwidthOutKiBps", 0);
    }

    @Test
    void requestsOfTheResourceMethods() {
        JsonSchema request = schema("request.schema.json");
        var id = IntNode.valueOf(1);
        for (JsonRpcMessage m : new JsonRpcMessage[]{
                new JsonRpcMessage.Request(id, Methods.APPS_USAGE, null),
                new JsonRpcMessage.Request(id, Methods.APPS_USAGE, obj().put("id", "org.example.chat")),
                new JsonRpcMessage.Request(id, Methods.SETTINGS_GET, obj()),
                new JsonRpcMessage.Request(id, Methods.SETTINGS_SET, settingsParams("bandwidthInKiBps", 512)),
                new JsonRpcMessage.Request(id, Methods.SETTINGS_SET, withAlt(schedule("22:00"))),
                new JsonRpcMessage.Request(id, Methods.SETTINGS_SET, withAlt(null)),
        }) {
            assertThat(request.validate(JsonRpcCodec.toJson(m))).as(m.toString()).isEmpty();
        }
        for (JsonRpcMessage m : new JsonRpcMessage[]{
                new JsonRpcMessage.Request(id, Methods.APPS_USAGE, obj().put("id", "")),
                new JsonRpcMessage.Request(id, Methods.SETTINGS_SET, obj()),
                new JsonRpcMessage.Request(id, Methods.SETTINGS_SET, settingsParams("bandwidthInKiBps", -1)),
                new JsonRpcMessage.Request(id, Methods.SETTINGS_SET, settingsParams("bandwidthInKiBps", "fast")),
                new JsonRpcMessage.Request(id, Methods.SETTINGS_SET, settingsParams("uploadSlots", 3)),
                new JsonRpcMessage.Request(id, Methods.SETTINGS_SET, withAlt(schedule("7pm"))),
        }) {
            assertThat(request.validate(JsonRpcCodec.toJson(m))).as(m.toString()).isNotEmpty();
        }
        assertThat(Methods.REQUESTS).contains(Methods.APPS_USAGE, Methods.SETTINGS_GET, Methods.SETTINGS_SET);
        assertThat(Methods.PRIVILEGED).contains(Methods.APPS_USAGE, Methods.SETTINGS_GET, Methods.SETTINGS_SET);
    }

    private static ObjectNode withAlt(ObjectNode schedule) {
        ObjectNode p = obj();
        p.putObject("settings").set("altSchedule", schedule == null ? JsonRpcCodec.mapper().nullNode() : schedule);
        return p;
    }

    @Test
    void resultsAndErrorData() {
        ObjectNode usage = obj().put("id", "org.example.chat").put("inBps", 524288).put("outBps", 0).put("bytesIn", 3145728)
                .put("bytesOut", 0).put("streams", 1).put("connections", 1).put("storageBytes", 1000);
        usage.putObject("limits").put("bandwidthInKiBps", 512).put("bandwidthOutKiBps", 0).put("storageBytes", 0).put("connections", 0);
        ObjectNode result = obj();
        result.putArray("apps").add(usage);
        result.set("system", usage.deepCopy().put("id", "system"));
        assertThat(schema("results.schema.json#/$defs/apps.usage").validate(result)).isEmpty();
        result.putObject("refused").put("peer streams inbound", 3);
        assertThat(schema("results.schema.json#/$defs/apps.usage").validate(result)).isEmpty();
        assertThat(schema("results.schema.json#/$defs/apps.usage").validate(obj().putArray("apps"))).isNotEmpty();

        ObjectNode settings = obj();
        ObjectNode s = settings.putObject("settings").put("bandwidthInKiBps", 0).put("bandwidthOutKiBps", 256)
                .putNull("altSchedule").put("altActive", false)
                .put("dataDir", "/home/u/.local/share/omnipeer").put("dataDirBytes", 123456);
        assertThat(schema("results.schema.json#/$defs/settings.get").validate(settings)).isEmpty();
        s.set("altSchedule", schedule("22:00"));
        assertThat(schema("results.schema.json#/$defs/settings.get").validate(settings)).isEmpty();
        s.set("altSchedule", schedule("25:00"));
        assertThat(schema("results.schema.json#/$defs/settings.get").validate(settings)).isNotEmpty();
        s.set("altSchedule", schedule("22:00"));
        assertThat(schema("results.schema.json#/$defs/settings.set").validate(settings)).isEmpty();

        ObjectNode data = obj().put("limit", "storage").put("scope", "app:org.example.chat").put("current", 1000).put("max", 1000);
        assertThat(schema("common.schema.json#/$defs/resourceLimitData").validate(data)).isEmpty();
        var error = new JsonRpcMessage.ErrorResponse(IntNode.valueOf(3), new RpcError(ErrorCodes.RESOURCE_LIMIT,
                "app:org.example.chat: storage limit reached (1000 in use, max 1000, 5 more requested)", data));
        assertThat(schema("response.schema.json").validate(JsonRpcCodec.toJson(error))).isEmpty();
    }
}
