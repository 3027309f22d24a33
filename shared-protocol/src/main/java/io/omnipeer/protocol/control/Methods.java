package io.omnipeer.protocol.control;

import java.util.Set;

/**
 * Method and notification names of the control/bridge protocol (API.md, "control / bridge protocol").
 * Params and results are JSON objects; binary payloads are base64 in a field named {@code data}.
 */
public final class Methods {
    /** {@code {}} → {@code {peerId, listenAddrs:[...], connectedPeers:int, agentVersion}}. */
    public static final String NODE_INFO = "node.info";
    /** {@code {}} → {@code {peers:[{peerId, addrs, protocols, agentVersion}]}}. */
    public static final String PEERS_LIST = "peers.list";
    /** {@code {multiaddr}} → {@code {peerId}}. CLI/popup only. */
    public static final String PEERS_CONNECT = "peers.connect";
    /** {@code {peerId}} → {@code {rttMs: number}}. CLI/popup only. */
    public static final String PEERS_PING = "peers.ping";
    /** {@code {topic}} → {@code {subscription}}; messages follow as {@link #PUBSUB_MESSAGE} notifications. */
    public static final String PUBSUB_SUBSCRIBE = "pubsub.subscribe";
    /** {@code {subscription}} → {@code {}}. */
    public static final String PUBSUB_UNSUBSCRIBE = "pubsub.unsubscribe";
    /** {@code {topic, data(base64)}} → {@code {}}. */
    public static final String PUBSUB_PUBLISH = "pubsub.publish";
    /** {@code {origin?}} → {@code {grants:[{origin, capability, grantedAt}]}}. */
    public static final String GRANTS_LIST = "grants.list";
    /** {@code {origin, capabilities:[...]}} → {@code {grants:[...]}}. CLI/popup only. */
    public static final String GRANTS_ADD = "grants.add";
    /** {@code {origin, capability?}} → {@code {revoked:int}}. CLI/popup only. */
    public static final String GRANTS_REVOKE = "grants.revoke";

    /** Notification {@code {subscription, topic, from, data(base64), seqno(base64)}}. */
    public static final String PUBSUB_MESSAGE = "pubsub.message";
    /** Notification {@code {origin}}: the grants of that origin changed. */
    public static final String GRANTS_CHANGED = "grants.changed";
    /** Notification {@code {connectedPeers:int}}. */
    public static final String PEERS_CHANGED = "peers.changed";

    /** Every request method the daemon answers. */
    public static final Set<String> REQUESTS = Set.of(NODE_INFO, PEERS_LIST, PEERS_CONNECT, PEERS_PING,
            PUBSUB_SUBSCRIBE, PUBSUB_UNSUBSCRIBE, PUBSUB_PUBLISH, GRANTS_LIST, GRANTS_ADD, GRANTS_REVOKE);

    /** Methods a page origin may never call: only requests without {@code origin} (CLI, popup) may. */
    public static final Set<String> PRIVILEGED = Set.of(PEERS_CONNECT, PEERS_PING, GRANTS_ADD, GRANTS_REVOKE);

    private Methods() {
    }
}
