package io.omnipeer.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.apps.AppStorage;
import io.omnipeer.apps.AppStore;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.node.Node;
import io.omnipeer.node.PeerInfo;
import io.omnipeer.protocol.control.Capability;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage.Request;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcError;
import io.omnipeer.protocol.control.RpcException;
import io.omnipeer.rcmgr.ResourceLimitException;
import io.omnipeer.store.GrantStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Answers control requests (API.md, "control / bridge protocol") from the {@link Node} and the
 * {@link GrantStore}, after the {@link OriginPolicy} allowed them.
 *
 * <p>Stateless apart from its collaborators; thread-safe. Failures come back as a failed future whose cause
 * maps to a structured error through {@link #toError}: {@link RpcException} keeps its code, bad params
 * ({@link IllegalArgumentException}, {@link DecodingException}) become -32602, anything else -32603 with a
 * one-line message (the stack trace only goes to the log).
 */
public final class RequestDispatcher {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);
    /** Capabilities accepted in one grants.add call. */
    public static final int MAX_CAPABILITIES_PER_ADD = 64;

    private final Node node;
    private final GrantStore grants;
    private final OriginPolicy policy;
    private final ResourceRequests resources;
    private final DhtRequests dht;
    private final StreamRequests streams;
    private final NotificationRequests notifications;
    private final AppStore apps;
    private final AppRequests appRequests;

    /** @param dataDir the daemon's data dir (its size is reported by settings.get) */
    public RequestDispatcher(Node node, GrantStore grants, Path dataDir) {
        this.node = node;
        this.grants = grants;
        this.policy = new OriginPolicy(grants);
        this.resources = new ResourceRequests(node.resources(), dataDir);
        this.dht = new DhtRequests(node);
        this.streams = new StreamRequests(node);
        this.notifications = new NotificationRequests(System::currentTimeMillis);
        this.apps = new AppStore(grants, node.resources());
        this.appRequests = new AppRequests(apps, new AppStorage(grants.database()), node.resources());
    }

    /** The installed apps (the daemon announces their changes). */
    public AppStore apps() {
        return apps;
    }

    /** Handles one request for {@code session}; never throws, failures are in the future. */
    public CompletableFuture<JsonNode> dispatch(Request request, ClientSession session) {
        try {
            if (!Methods.REQUESTS.contains(request.method())) {
                throw new RpcException(ErrorCodes.UNSUPPORTED_METHOD, "unsupported method " + request.method());
            }
            Request mapped = withPrincipal(request);
            policy.authorize(mapped);
            return handle(mapped, session);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Replaces a page origin by its principal ({@code app:<id>} for an enabled app's entry origin). A request naming
     * an {@code app:} principal that is not an installed, enabled app may only touch grants (popup clean-up).
     */
    private Request withPrincipal(Request request) {
        String origin = request.origin();
        if (origin == null) {
            return request;
        }
        String principal = apps.principal(origin);
        if (principal.startsWith(AppStore.PRINCIPAL_PREFIX) && !request.method().startsWith("grants.")) {
            String id = principal.substring(AppStore.PRINCIPAL_PREFIX.length());
            if (apps.get(id).filter(AppStore.App::enabled).isEmpty()) {
                throw new RpcException(ErrorCodes.UNAUTHORIZED, principal + " is not an installed, enabled app");
            }
        }
        if (principal.equals(origin)) {
            return request;
        }
        ObjectNode params = request.params().deepCopy();
        params.put("origin", principal);
        return new Request(request.id(), request.method(), params);
    }

    private CompletableFuture<JsonNode> handle(Request request, ClientSession session) {
        ObjectNode p = request.params();
        String origin = request.origin();
        if (ResourceRequests.handles(request.method())) {
            return done(resources.handle(request));
        }
        if (AppRequests.handles(request.method())) {
            return done(appRequests.handle(request));
        }
        if (DhtRequests.handles(request.method())) {
            return dht.handle(request);
        }
        if (StreamRequests.handles(request.method())) {
            return streams.handle(request, session);
        }
        if (NotificationRequests.handles(request.method())) {
            return done(notifications.show(origin, p));
        }
        return switch (request.method()) {
            case Methods.NODE_INFO -> done(nodeInfo());
            case Methods.PEERS_LIST -> done(peersList());
            case Methods.PEERS_CONNECT -> (p.has("peerId") && !p.has("multiaddr")
                    ? node.connect(PeerId.parse(text(p, "peerId")))
                    : node.connect(Multiaddr.parse(text(p, "multiaddr"))))
                    .thenApply(peer -> object().put("peerId", peer.toBase58()));
            case Methods.PEERS_PING -> node.ping(PeerId.parse(text(p, "peerId")))
                    .thenApply(rtt -> object().put("rttMs", rtt.toNanos() / 1_000_000.0));
            case Methods.PUBSUB_SUBSCRIBE -> done(object().put("subscription",
                    session.subscribe(node, origin, topic(p))));
            case Methods.PUBSUB_UNSUBSCRIBE -> {
                if (!session.unsubscribe(text(p, "subscription"), origin)) {
                    throw new IllegalArgumentException("unknown subscription " + text(p, "subscription"));
                }
                yield done(object());
            }
            case Methods.PUBSUB_PUBLISH -> node.publish(Namespaces.wireTopic(origin, topic(p)), base64(p, "data")).thenApply(v -> object());
            case Methods.GRANTS_LIST -> done(grantsJson(origin == null ? grants.listAll() : grants.list(origin)));
            case Methods.GRANTS_ADD -> done(grantsJson(grants.add(requiredOrigin(p), appCapabilities(requiredOrigin(p),
                    capabilities(p)), expiresAt(p))));
            case Methods.GRANTS_REVOKE -> {
                String capability = p.hasNonNull("capability") ? Capability.parse(text(p, "capability")).toString() : null;
                yield done(object().put("revoked", grants.revoke(requiredOrigin(p), capability)));
            }
            default -> throw new RpcException(ErrorCodes.UNSUPPORTED_METHOD, "unsupported method " + request.method());
        };
    }

    private ObjectNode nodeInfo() {
        ObjectNode result = object().put("peerId", node.peerId().toBase58());
        ArrayNode addrs = result.putArray("listenAddrs");
        node.listenAddresses().forEach(a -> addrs.add(a.toString()));
        result.put("connectedPeers", node.connectedPeers().size());
        result.put("agentVersion", node.agentVersion());
        return result;
    }

    private ObjectNode peersList() {
        ObjectNode result = object();
        ArrayNode peers = result.putArray("peers");
        for (PeerInfo info : node.connectedPeers()) {
            ObjectNode peer = peers.addObject().put("peerId", info.id().toBase58());
            ArrayNode addrs = peer.putArray("addrs");
            info.addrs().forEach(a -> addrs.add(a.toString()));
            ArrayNode protocols = peer.putArray("protocols");
            info.protocols().forEach(protocols::add);
            peer.put("agentVersion", info.agentVersion());
        }
        return result;
    }

    private static ObjectNode grantsJson(List<GrantStore.Grant> list) {
        ObjectNode result = object();
        ArrayNode out = result.putArray("grants");
        for (GrantStore.Grant grant : list) {
            out.addObject().put("origin", grant.origin()).put("capability", grant.capability())
                    .put("grantedAt", grant.grantedAt()).put("expiresAt", grant.expiresAt());
        }
        return result;
    }

    private static List<String> capabilities(ObjectNode p) {
        JsonNode list = p.get("capabilities");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_CAPABILITIES_PER_ADD) {
            throw new IllegalArgumentException("capabilities must be an array of 1.." + MAX_CAPABILITIES_PER_ADD + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("capabilities must be strings");
            }
            out.add(Capability.parse(item.textValue()).toString());
        }
        return out;
    }

    /** An app principal may only be granted what its manifest asks for. */
    private List<String> appCapabilities(String principal, List<String> capabilities) {
        if (principal.startsWith(AppStore.PRINCIPAL_PREFIX)) {
            String id = principal.substring(AppStore.PRINCIPAL_PREFIX.length());
            AppStore.App app = apps.get(id).orElseThrow(() -> new IllegalArgumentException("no app " + id + " is installed"));
            for (String c : capabilities) {
                if (!app.manifest().capabilities().contains(c)) {
                    throw new IllegalArgumentException("app " + id + " does not ask for " + c + " in its manifest");
                }
            }
        }
        return capabilities;
    }

    private static Long expiresAt(ObjectNode p) {
        JsonNode v = p.get("expiresAt");
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException("params.expiresAt must be epoch milliseconds or null");
        }
        return v.asLong();
    }

    /** The topic param, validated as the argument of a {@code pubsub:} capability. */
    static String topic(ObjectNode p) {
        return Capability.pubsub(text(p, "topic")).argument();
    }

    private static String requiredOrigin(ObjectNode p) {
        return text(p, "origin");
    }

    static String text(ObjectNode p, String field) {
        JsonNode value = p.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new IllegalArgumentException("params." + field + " must be a non-empty string");
        }
        return value.textValue();
    }

    static byte[] base64(ObjectNode p, String field) {
        JsonNode value = p.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("params." + field + " must be a base64 string");
        }
        try {
            return Base64.getDecoder().decode(value.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("params." + field + " is not valid base64");
        }
    }

    private static ObjectNode object() {
        return JsonRpcCodec.mapper().createObjectNode();
    }

    private static CompletableFuture<JsonNode> done(JsonNode result) {
        return CompletableFuture.completedFuture(result);
    }

    /** Maps a handler failure to the structured error the client sees. */
    static RpcError toError(String method, Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof RpcException e) {
            return e.toError();
        }
        if (t instanceof ResourceLimitException e) {
            return new RpcError(ErrorCodes.RESOURCE_LIMIT, e.getMessage(), JsonRpcCodec.mapper().createObjectNode()
                    .put("limit", e.limit()).put("scope", e.scope()).put("current", e.current()).put("max", e.max()));
        }
        if (t instanceof IllegalArgumentException || t instanceof DecodingException) {
            return new RpcError(ErrorCodes.INVALID_PARAMS, "invalid params: " + t.getMessage());
        }
        String message = method + " failed: " + rootMessage(t);
        log.info(message);
        log.debug("{} failure detail", method, t);
        return new RpcError(ErrorCodes.INTERNAL_ERROR, message);
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
