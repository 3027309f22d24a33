package io.omnipeer.protocol.control;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * The {@code error} member of an error response: a numeric code from {@link ErrorCodes}, a one-line
 * human-readable message (never a stack trace) and optional structured data.
 * Spec: JSON-RPC 2.0 section 5.1.
 *
 * @param data optional, may be null
 */
public record RpcError(int code, String message, JsonNode data) {
    public RpcError {
        Objects.requireNonNull(message, "message");
    }

    public RpcError(int code, String message) {
        this(code, message, null);
    }
}
