package io.omnipeer.protocol.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;

/**
 * JSON text (UTF-8) ↔ {@link JsonRpcMessage}. Classifies a JSON object the way JSON-RPC 2.0 does:
 * {@code method} + {@code id} = request, {@code method} alone = notification, {@code result} = response,
 * {@code error} = error response. Rejects everything else, with the code the spec prescribes.
 *
 * <p>Parsing is bounded by {@link #MAX_NESTING_DEPTH} and by the frame size limit of the transport.
 * Thread-safe (the shared {@link ObjectMapper} is thread-safe once configured).
 * Spec: JSON-RPC 2.0, sections 4, 5, 5.1.
 */
public final class JsonRpcCodec {
    /** Deeper JSON is refused: no message of this protocol nests more than a few levels. */
    public static final int MAX_NESTING_DEPTH = 64;
    public static final String VERSION = "2.0";

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build());

    private JsonRpcCodec() {
    }

    /** The shared, configured mapper (for building params and results). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serializes a message as compact UTF-8 JSON with {@code "jsonrpc":"2.0"}. */
    public static byte[] encode(JsonRpcMessage message) {
        try {
            return MAPPER.writeValueAsBytes(toJson(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + message, e);
        }
    }

    /** The message as a JSON object tree. */
    public static ObjectNode toJson(JsonRpcMessage message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("jsonrpc", VERSION);
        switch (message) {
            case JsonRpcMessage.Request r -> {
                node.set("id", r.id());
                node.put("method", r.method());
                node.set("params", r.params());
            }
            case JsonRpcMessage.Notification n -> {
                node.put("method", n.method());
                node.set("params", n.params());
            }
            case JsonRpcMessage.Response r -> {
                node.set("id", r.id());
                node.set("result", r.result());
            }
            case JsonRpcMessage.ErrorResponse e -> {
                node.set("id", e.id());
                ObjectNode error = node.putObject("error");
                error.put("code", e.error().code());
                error.put("message", e.error().message());
                if (e.error().data() != null) {
                    error.set("data", e.error().data());
                }
            }
        }
        return node;
    }

    /**
     * Parses one message.
     *
     * @throws MalformedMessageException {@link ErrorCodes#PARSE_ERROR} when the bytes are not JSON (or too deep),
     *                                   {@link ErrorCodes#INVALID_REQUEST} when the JSON is not a JSON-RPC 2.0 message
     */
    public static JsonRpcMessage decode(byte[] utf8Json) throws MalformedMessageException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(utf8Json);
        } catch (IOException e) {
            throw new MalformedMessageException(ErrorCodes.PARSE_ERROR, "parse error: not valid JSON", null);
        }
        return fromJson(tree);
    }

    /** Classifies an already parsed JSON value; see {@link #decode(byte[])}. */
    public static JsonRpcMessage fromJson(JsonNode tree) throws MalformedMessageException {
        if (tree == null || !tree.isObject()) {
            throw invalid("message must be a JSON object", null);
        }
        JsonNode id = tree.get("id");
        boolean validId = id == null || id.isTextual() || id.isIntegralNumber() || id.isNull();
        JsonNode readableId = validId ? id : null;
        if (!VERSION.equals(text(tree.get("jsonrpc")))) {
            throw invalid("jsonrpc must be \"2.0\"", readableId);
        }
        if (!validId) {
            throw invalid("id must be a string or an integer", null);
        }
        JsonNode method = tree.get("method");
        if (method != null) {
            if (!method.isTextual() || method.textValue().isEmpty()) {
                throw invalid("method must be a non-empty string", id);
            }
            JsonNode params = tree.get("params");
            if (params != null && !params.isNull() && !params.isObject()) {
                throw invalid("params must be an object", id);
            }
            ObjectNode paramsObject = params instanceof ObjectNode o ? o : MAPPER.createObjectNode();
            if (id == null) {
                return new JsonRpcMessage.Notification(method.textValue(), paramsObject);
            }
            if (id.isNull()) {
                throw invalid("request id must not be null", null);
            }
            return new JsonRpcMessage.Request(id, method.textValue(), paramsObject);
        }
        if (id == null) {
            throw invalid("a response needs an id", null);
        }
        if (tree.has("result") && !tree.has("error")) {
            return new JsonRpcMessage.Response(id, tree.get("result"));
        }
        JsonNode error = tree.get("error");
        if (error != null && !tree.has("result") && error.isObject()
                && error.path("code").isIntegralNumber() && error.path("message").isTextual()) {
            JsonNode data = error.get("data");
            return new JsonRpcMessage.ErrorResponse(id,
                    new RpcError(error.get("code").intValue(), error.get("message").textValue(), data));
        }
        throw invalid("not a request, notification, response or error response", id);
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static MalformedMessageException invalid(String why, JsonNode id) {
        return new MalformedMessageException(ErrorCodes.INVALID_REQUEST, "invalid request: " + why, id);
    }
}
