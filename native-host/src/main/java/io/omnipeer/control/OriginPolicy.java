package io.omnipeer.control;

import io.omnipeer.protocol.control.Capability;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcMessage.Request;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcException;
import io.omnipeer.store.GrantStore;

/**
 * Who may call what (API.md, "control / bridge protocol"). A request whose params carry {@code origin} comes
 * from a web page (the extension's service worker sets it from the sender, never from the page):
 * <ul>
 *   <li>{@code pubsub.subscribe}/{@code pubsub.publish} need the grant {@code pubsub:<topic>} (exact topic); an app's
 *       topic is namespaced on the wire ({@link Namespaces#wireTopic}) and a web origin may not name a topic in
 *       the apps' space;</li>
 *   <li>{@code node.info} needs any grant, {@code peers.list} the grant {@code peers:read},
 *       {@code notifications.show} the grant {@code notifications};</li>
 *   <li>{@code grants.list} lists only the origin's own grants, {@code pubsub.unsubscribe} closes only its own
 *       subscriptions (both allowed without a grant);</li>
 *   <li>{@code dht.get}/{@code dht.put} need a grant {@code dht:<prefix>} whose prefix starts the page's key (the
 *       key is then namespaced to the origin by {@link DhtRequests});</li>
 *   <li>{@code storage.*} need the grant {@code storage} (the data lives in the principal's namespace);
 *       {@code apps.current} needs nothing;</li>
 *   <li>{@code apps.list|install|info|enable|disable|remove}, {@code peers.connect}, {@code peers.ping}, {@code apps.usage}, {@code settings.get},
 *       {@code settings.set}, {@code dht.findPeer}, {@code dht.provide} and {@code dht.findProviders} are refused.</li>
 * </ul>
 * {@code grants.add}/{@code grants.revoke} name the origin they change in the same field, so the daemon cannot
 * tell them from page requests: the service worker must never forward them from a page (it calls
 * {@code grants.add} itself after the user approved). Requests without origin (CLI, popup) may call everything.
 * Refusals are {@link ErrorCodes#UNAUTHORIZED} (4100). Thread-safe.
 */
final class OriginPolicy {
    private final GrantStore grants;

    OriginPolicy(GrantStore grants) {
        this.grants = grants;
    }

    /** Whether one of the origin's {@code dht:<prefix>} grants has a (non-empty) prefix that starts {@code key}. */
    private boolean hasDhtGrant(String origin, String key) {
        String kind = Capability.Kind.DHT.text() + ":";
        for (GrantStore.Grant g : grants.list(origin)) {
            String c = g.capability();
            if (c.startsWith(kind) && c.length() > kind.length() && key.startsWith(c.substring(kind.length()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * @throws RpcException             4100 when the page origin may not make this request
     * @throws IllegalArgumentException (→ -32602) when {@code params.origin} is present but not a non-empty string
     */
    void authorize(Request request) {
        String origin = request.origin();
        if (origin == null || origin.isEmpty()) {
            if (request.params().has("origin")) {
                // a malformed origin must never read as "no origin" (= CLI, privileged)
                throw new IllegalArgumentException("params.origin must be a non-empty string");
            }
            return;
        }
        switch (request.method()) {
            case Methods.APPS_LIST, Methods.APPS_INSTALL, Methods.APPS_INFO, Methods.APPS_ENABLE, Methods.APPS_DISABLE,
                 Methods.APPS_REMOVE -> throw new RpcException(ErrorCodes.UNAUTHORIZED,
                    request.method() + " is not available to web pages");
            case Methods.STORAGE_GET, Methods.STORAGE_PUT, Methods.STORAGE_DELETE, Methods.STORAGE_LIST -> {
                if (!grants.isGranted(origin, Capability.storage().toString())) {
                    throw new RpcException(ErrorCodes.UNAUTHORIZED, origin + " has no grant for storage");
                }
            }
            case Methods.PEERS_CONNECT, Methods.PEERS_PING, Methods.APPS_USAGE, Methods.SETTINGS_GET,
                 Methods.SETTINGS_SET, Methods.DHT_FIND_PEER, Methods.DHT_PROVIDE, Methods.DHT_FIND_PROVIDERS -> throw new RpcException(ErrorCodes.UNAUTHORIZED,
                    request.method() + " is not available to web pages");
            case Methods.PUBSUB_SUBSCRIBE, Methods.PUBSUB_PUBLISH -> {
                String topic = RequestDispatcher.topic(request.params());
                Namespaces.wireTopic(origin, topic);
                if (!grants.isGranted(origin, Capability.pubsub(topic).toString())) {
                    throw new RpcException(ErrorCodes.UNAUTHORIZED, origin + " has no grant for pubsub:" + topic);
                }
            }
            case Methods.DHT_GET, Methods.DHT_PUT -> {
                String key = RequestDispatcher.text(request.params(), "key");
                if (!hasDhtGrant(origin, key)) {
                    throw new RpcException(ErrorCodes.UNAUTHORIZED, origin + " has no dht: grant covering key " + key);
                }
            }
            case Methods.STREAMS_OPEN, Methods.STREAMS_HANDLE -> {
                String protocol = RequestDispatcher.text(request.params(), "protocol");
                StreamBridge.wireProtocol(origin, protocol);
                if (!grants.isGranted(origin, Capability.stream(protocol).toString())) {
                    throw new RpcException(ErrorCodes.UNAUTHORIZED, origin + " has no grant for stream:" + protocol);
                }
            }
            case Methods.NOTIFICATIONS_SHOW -> {
                if (!grants.isGranted(origin, Capability.notifications().toString())) {
                    throw new RpcException(ErrorCodes.UNAUTHORIZED, origin + " has no grant for notifications");
                }
            }
            case Methods.PEERS_LIST -> {
                if (!grants.isGranted(origin, Capability.peersRead().toString())) {
                    throw new RpcException(ErrorCodes.UNAUTHORIZED, origin + " has no grant for peers:read");
                }
            }
            case Methods.NODE_INFO -> {
                if (!grants.hasAnyGrant(origin)) {
                    throw new RpcException(ErrorCodes.UNAUTHORIZED, origin + " is not connected (no grant)");
                }
            }
            default -> {
                // grants.list, pubsub.unsubscribe, streams.write/close/reset/unhandle: scoped to the origin
                // by the dispatcher;
                // grants.add, grants.revoke: see the class comment
            }
        }
    }
}
