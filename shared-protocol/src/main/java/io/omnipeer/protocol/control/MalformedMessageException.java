package io.omnipeer.protocol.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The bytes of a frame are not a valid JSON-RPC 2.0 message. Carries the JSON-RPC code to answer with
 * ({@link ErrorCodes#PARSE_ERROR} or {@link ErrorCodes#INVALID_REQUEST}) and the request id when it could be read.
 */
public final class MalformedMessageException extends Exception {
    private final int code;
    private final transient JsonNode id;

    public MalformedMessageException(int code, String message, JsonNode id) {
        super(message);
        this.code = code;
        this.id = id == null ? NullNode.getInstance() : id;
    }

    public int code() {
        return code;
    }

    /** The request id if it was readable, else JSON null. */
    public JsonNode id() {
        return id;
    }

    /** The error response a server sends back for this message. */
    public JsonRpcMessage.ErrorResponse toErrorResponse() {
        return new JsonRpcMessage.ErrorResponse(id, new RpcError(code, getMessage()));
    }
}
