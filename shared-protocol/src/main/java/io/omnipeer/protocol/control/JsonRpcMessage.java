package io.omnipeer.protocol.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One JSON-RPC 2.0 message on the control socket or the native-messaging bridge.
 * Immutable records; the {@code jsonrpc:"2.0"} member is implied and added by {@link JsonRpcCodec}.
 * Spec: JSON-RPC 2.0, sections 4 (Request object), 4.1 (Notification), 5 (Response object), 5.1 (Error object).
 */
public sealed interface JsonRpcMessage
        permits JsonRpcMessage.Request, JsonRpcMessage.Notification, JsonRpcMessage.Response, JsonRpcMessage.ErrorResponse {

    /**
     * A call that expects a {@link Response} or {@link ErrorResponse} with the same id.
     *
     * @param id     string or number (JSON-RPC 2.0 section 4); never JSON null here
     * @param method method name, see {@link Methods}
     * @param params the params object (empty object when the caller sent none)
     */
    record Request(JsonNode id, String method, ObjectNode params) implements JsonRpcMessage {
        public Request {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(method, "method");
            params = params == null ? JsonRpcCodec.mapper().createObjectNode() : params;
        }

        /** The {@code origin} param set by the extension service worker for page requests, or null (CLI/popup). */
        public String origin() {
            JsonNode origin = params.get("origin");
            return origin != null && origin.isTextual() ? origin.textValue() : null;
        }
    }

    /** A one-way message without id (daemon to client: pubsub.message, grants.changed, peers.changed). */
    record Notification(String method, ObjectNode params) implements JsonRpcMessage {
        public Notification {
            Objects.requireNonNull(method, "method");
            params = params == null ? JsonRpcCodec.mapper().createObjectNode() : params;
        }
    }

    /** The successful answer to the {@link Request} with the same id; {@code result} is a JSON object. */
    record Response(JsonNode id, JsonNode result) implements JsonRpcMessage {
        public Response {
            Objects.requireNonNull(id, "id");
            result = result == null ? JsonRpcCodec.mapper().createObjectNode() : result;
        }
    }

    /**
     * The failed answer to a request. {@code id} is JSON null when the request's id could not be read
     * (JSON-RPC 2.0 section 5: parse error or invalid request).
     */
    record ErrorResponse(JsonNode id, RpcError error) implements JsonRpcMessage {
        public ErrorResponse {
            id = id == null ? NullNode.getInstance() : id;
            Objects.requireNonNull(error, "error");
        }
    }
}
