package io.omnipeer.protocol.control;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonRpcCodecTest {

    private static JsonRpcMessage roundTrip(JsonRpcMessage message) throws MalformedMessageException {
        return JsonRpcCodec.decode(JsonRpcCodec.encode(message));
    }

    private static JsonRpcMessage decode(String json) throws MalformedMessageException {
        return JsonRpcCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode params(String key, String value) {
        return JsonRpcCodec.mapper().createObjectNode().put(key, value);
    }

    @Test
    void requestRoundTripsWithNumericAndStringIds() throws Exception {
        var numeric = new JsonRpcMessage.Request(IntNode.valueOf(7), Methods.PUBSUB_SUBSCRIBE, params("topic", "chat"));
        var text = new JsonRpcMessage.Request(TextNode.valueOf("a-1"), Methods.NODE_INFO, null);
        assertThat(roundTrip(numeric)).isEqualTo(numeric);
        assertThat(roundTrip(text)).isEqualTo(text);
    }

    @Test
    void notificationResponseAndErrorRoundTrip() throws Exception {
        var notification = new JsonRpcMessage.Notification(Methods.GRANTS_CHANGED, params("origin", "https://a.example"));
        var response = new JsonRpcMessage.Response(IntNode.valueOf(1), params("peerId", "12D3KooW"));
        var error = new JsonRpcMessage.ErrorResponse(IntNode.valueOf(2), new RpcError(ErrorCodes.UNAUTHORIZED, "no grant"));
        assertThat(roundTrip(notification)).isEqualTo(notification);
        assertThat(roundTrip(response)).isEqualTo(response);
        assertThat(roundTrip(error)).isEqualTo(error);
    }

    @Test
    void encodedRequestCarriesVersionAndOrigin() throws Exception {
        var request = new JsonRpcMessage.Request(IntNode.valueOf(3), Methods.PEERS_LIST, params("origin", "https://b.example"));
        String json = new String(JsonRpcCodec.encode(request), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"peers.list\",\"params\":{\"origin\":\"https://b.example\"}}");
        assertThat(((JsonRpcMessage.Request) decode(json)).origin()).isEqualTo("https://b.example");
    }

    @Test
    void missingParamsBecomeAnEmptyObject() throws Exception {
        var request = (JsonRpcMessage.Request) decode("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"node.info\"}");
        assertThat(request.params().isEmpty()).isTrue();
        assertThat(request.origin()).isNull();
    }

    @Test
    void malformedJsonIsAParseError() {
        assertThatThrownBy(() -> decode("{\"jsonrpc\":\"2.0\",\"id\":1,"))
                .isInstanceOfSatisfying(MalformedMessageException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.PARSE_ERROR);
                    assertThat(e.toErrorResponse().id().isNull()).isTrue();
                });
    }

    @Test
    void tooDeepNestingIsRefused() {
        String deep = "[".repeat(JsonRpcCodec.MAX_NESTING_DEPTH + 10) + "]".repeat(JsonRpcCodec.MAX_NESTING_DEPTH + 10);
        assertThatThrownBy(() -> decode(deep))
                .isInstanceOfSatisfying(MalformedMessageException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.PARSE_ERROR));
    }

    @Test
    void nonJsonRpcShapesAreInvalidRequests() {
        String[] invalid = {
                "[1,2]",
                "\"text\"",
                "{\"id\":1,\"method\":\"node.info\"}",
                "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"node.info\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":{\"x\":1},\"method\":\"node.info\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":42}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"node.info\",\"params\":[1]}",
                "{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"node.info\"}",
                "{\"jsonrpc\":\"2.0\",\"result\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":1}",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":\"x\",\"message\":\"m\"}}",
        };
        for (String json : invalid) {
            assertThatThrownBy(() -> decode(json)).as(json)
                    .isInstanceOfSatisfying(MalformedMessageException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_REQUEST));
        }
    }

    @Test
    void invalidRequestKeepsAReadableId() {
        assertThatThrownBy(() -> decode("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"x\",\"params\":5}"))
                .isInstanceOfSatisfying(MalformedMessageException.class,
                        e -> assertThat(e.id().intValue()).isEqualTo(9));
    }
}
