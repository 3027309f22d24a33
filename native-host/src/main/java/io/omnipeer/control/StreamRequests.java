package io.omnipeer.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.core.PeerId;
import io.omnipeer.node.Node;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage.Request;
import io.omnipeer.protocol.control.Methods;

import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Serves the stream control methods (API.md, "apps platform"; Methods' streams.*) through each client's
 * {@link StreamBridge}:
 * <ul>
 *   <li>{@code streams.open {peerId, protocol}} → {@code {stream}}; {@code streams.handle {protocol}} →
 *       {@code {handler}}; {@code streams.unhandle {handler}} → {@code {}};</li>
 *   <li>{@code streams.write {stream, data}} → {@code {}} once written; {@code streams.close {stream}} (FIN) and
 *       {@code streams.reset {stream}} → {@code {}}.</li>
 * </ul>
 * A page may only name its own streams and handlers (others are "unknown", -32602); {@link OriginPolicy} checked
 * its {@code stream:<protocol>} grant for open and handle. Thread-safe.
 */
final class StreamRequests {
    private final Node node;
    private final ConcurrentMap<String, StreamBridge> protocolOwners = new ConcurrentHashMap<>();

    StreamRequests(Node node) {
        this.node = node;
    }

    static boolean handles(String method) {
        return switch (method) {
            case Methods.STREAMS_OPEN, Methods.STREAMS_HANDLE, Methods.STREAMS_UNHANDLE, Methods.STREAMS_WRITE,
                 Methods.STREAMS_CLOSE, Methods.STREAMS_RESET -> true;
            default -> false;
        };
    }

    CompletableFuture<JsonNode> handle(Request request, ClientSession session) {
        StreamBridge bridge = session.streams(s -> new StreamBridge(s, node, protocolOwners));
        ObjectNode p = request.params();
        String origin = request.origin();
        return switch (request.method()) {
            case Methods.STREAMS_OPEN -> bridge.open(origin, PeerId.parse(RequestDispatcher.text(p, "peerId")),
                    RequestDispatcher.text(p, "protocol")).thenApply(id -> object().put("stream", id));
            case Methods.STREAMS_HANDLE -> done(object().put("handler",
                    bridge.handle(origin, RequestDispatcher.text(p, "protocol"))));
            case Methods.STREAMS_UNHANDLE -> {
                bridge.unhandle(origin, RequestDispatcher.text(p, "handler"));
                yield done(object());
            }
            case Methods.STREAMS_WRITE -> bridge.write(origin, RequestDispatcher.text(p, "stream"), data(p))
                    .thenApply(v -> object());
            case Methods.STREAMS_CLOSE -> bridge.closeWrite(origin, RequestDispatcher.text(p, "stream"))
                    .thenApply(v -> object());
            case Methods.STREAMS_RESET -> {
                bridge.reset(origin, RequestDispatcher.text(p, "stream"));
                yield done(object());
            }
            default -> throw new IllegalStateException("not a streams method: " + request.method());
        };
    }

    private static byte[] data(ObjectNode p) {
        JsonNode value = p.get("data");
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("params.data must be a base64 string");
        }
        try {
            return Base64.getDecoder().decode(value.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("params.data is not valid base64");
        }
    }

    private static ObjectNode object() {
        return JsonRpcCodec.mapper().createObjectNode();
    }

    private static CompletableFuture<JsonNode> done(JsonNode result) {
        return CompletableFuture.completedFuture(result);
    }
}
