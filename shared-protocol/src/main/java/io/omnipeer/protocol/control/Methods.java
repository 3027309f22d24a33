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
    /** {@code {multiaddr}} or {@code {peerId}} (address found in the peerstore or the DHT) → {@code {peerId}}. CLI/popup only. */
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
    /** {@code {origin, capabilities:[...], expiresAt?}} (epoch ms, null = until revoked) → {@code {grants:[...]}}. CLI/popup only. */
    public static final String GRANTS_ADD = "grants.add";
    /** {@code {origin, capability?}} → {@code {revoked:int}}. CLI/popup only. */
    public static final String GRANTS_REVOKE = "grants.revoke";

    // Kademlia DHT (issue 3; API.md "dht"). Keys are UTF-8 strings; values base64.
    /** {@code {peerId}} → {@code {peerId, found, addrs:[...]}}. CLI/popup only. */
    public static final String DHT_FIND_PEER = "dht.findPeer";
    /**
     * {@code {key}} → {@code {key, value(base64|null), writer?, seq?}}; a page needs {@code dht:<prefix>} covering the
     * key and sees its own namespace {@code /omnipeer/app/<ns>/<key>}.
     */
    public static final String DHT_GET = "dht.get";
    /** {@code {key, value(base64)}} → {@code {key, peers}}; a page needs {@code dht:<prefix>} and writes its own namespace. */
    public static final String DHT_PUT = "dht.put";
    /** {@code {key (base58 multihash or CIDv1)}} → {@code {key, peers}}. CLI/popup only. */
    public static final String DHT_PROVIDE = "dht.provide";
    /** {@code {key, limit?}} → {@code {providers:[{peerId, addrs}]}}. CLI/popup only. */
    public static final String DHT_FIND_PROVIDERS = "dht.findProviders";

    // App platform (issue 4; API.md "apps").
    /** {@code {}} → {@code {apps:[app]}}. CLI/popup only. */
    public static final String APPS_LIST = "apps.list";
    /** {@code {manifest: signed manifest object}} → {@code {app}}; install or update. CLI/popup only. */
    public static final String APPS_INSTALL = "apps.install";
    /** {@code {id}} → {@code {app}}. CLI/popup only. */
    public static final String APPS_INFO = "apps.info";
    /** {@code {id}} → {@code {app}}. CLI/popup only. */
    public static final String APPS_ENABLE = "apps.enable";
    /** {@code {id}} → {@code {app}}. CLI/popup only. */
    public static final String APPS_DISABLE = "apps.disable";
    /** {@code {id, purge?}} → {@code {removed:true}}. CLI/popup only. */
    public static final String APPS_REMOVE = "apps.remove";
    /** {@code {}} (page) → {@code {app: app|null}}: the app whose entry is the calling origin. */
    public static final String APPS_CURRENT = "apps.current";
    /**
     * {@code {id?}} → {@code {apps:[{id, inBps, outBps, bytesIn, bytesOut, streams, connections, storageBytes,
     * limits:{bandwidthInKiBps, bandwidthOutKiBps, storageBytes, connections}}], system:{same, id "system"}}};
     * rates in bytes/s over the last 2 s. CLI/popup only.
     */
    public static final String APPS_USAGE = "apps.usage";
    /** {@code {}} → {@code {settings:{bandwidthInKiBps, bandwidthOutKiBps, dataDir, dataDirBytes}}} (KiB/s, 0 = unlimited). CLI/popup only. */
    public static final String SETTINGS_GET = "settings.get";
    /** {@code {settings:{bandwidthInKiBps?, bandwidthOutKiBps?}}} → as {@link #SETTINGS_GET}; persisted. CLI/popup only. */
    public static final String SETTINGS_SET = "settings.set";
    /** {@code {key}} → {@code {data(base64)|null}}; needs {@code storage}. */
    public static final String STORAGE_GET = "storage.get";
    /** {@code {key, data(base64)}} → {@code {}}; needs {@code storage}; 4290 past the quota. */
    public static final String STORAGE_PUT = "storage.put";
    /** {@code {key}} → {@code {deleted:boolean}}; needs {@code storage}. */
    public static final String STORAGE_DELETE = "storage.delete";
    /** {@code {prefix?}} → {@code {keys:[...]}}; needs {@code storage}. */
    public static final String STORAGE_LIST = "storage.list";
    /**
     * {@code {title, body?}} (title 1..128, body ..1024 characters) → {@code {}} when the caller may show the
     * desktop notification (the extension shows it); needs {@code notifications}; 4290 past 10 per minute.
     */
    public static final String NOTIFICATIONS_SHOW = "notifications.show";
    /** {@code {peerId, protocol}} → {@code {stream}}; needs {@code stream:<protocol>}. */
    public static final String STREAMS_OPEN = "streams.open";
    /** {@code {protocol}} → {@code {handler}}; incoming streams arrive as {@link #STREAMS_INCOMING}. */
    public static final String STREAMS_HANDLE = "streams.handle";
    /** {@code {handler}} → {@code {}}. */
    public static final String STREAMS_UNHANDLE = "streams.unhandle";
    /** {@code {stream, data(base64)}} → {@code {}} once written (backpressure: the reply waits). */
    public static final String STREAMS_WRITE = "streams.write";
    /** {@code {stream}} → {@code {}}: half-close (FIN). */
    public static final String STREAMS_CLOSE = "streams.close";
    /** {@code {stream}} → {@code {}}: reset. */
    public static final String STREAMS_RESET = "streams.reset";

    /** Notification {@code {subscription, topic, from, data(base64), seqno(base64)}}. */
    public static final String PUBSUB_MESSAGE = "pubsub.message";
    /** Notification {@code {origin}}: the grants of that origin changed. */
    public static final String GRANTS_CHANGED = "grants.changed";
    /** Notification {@code {connectedPeers:int}}. */
    public static final String PEERS_CHANGED = "peers.changed";
    /** Notification {@code {handler, stream, peerId, protocol}}: a remote peer opened a handled stream. */
    public static final String STREAMS_INCOMING = "streams.incoming";
    /** Notification {@code {stream, data(base64)}}. */
    public static final String STREAMS_DATA = "streams.data";
    /** Notification {@code {stream, reason?}}: remote FIN ({@code reason} absent) or reset/closed. */
    public static final String STREAMS_CLOSED = "streams.closed";
    /** Notification {@code {id}}: an app was installed, updated, enabled, disabled or removed. */
    public static final String APPS_CHANGED = "apps.changed";

    /** Every request method the daemon answers. */
    public static final Set<String> REQUESTS = Set.of(NODE_INFO, PEERS_LIST, PEERS_CONNECT, PEERS_PING,
            PUBSUB_SUBSCRIBE, PUBSUB_UNSUBSCRIBE, PUBSUB_PUBLISH, GRANTS_LIST, GRANTS_ADD, GRANTS_REVOKE,
            APPS_USAGE, SETTINGS_GET, SETTINGS_SET, DHT_FIND_PEER, DHT_GET, DHT_PUT, DHT_PROVIDE, DHT_FIND_PROVIDERS,
            STREAMS_OPEN, STREAMS_HANDLE, STREAMS_UNHANDLE, STREAMS_WRITE, STREAMS_CLOSE, STREAMS_RESET,
            APPS_LIST, APPS_INSTALL, APPS_INFO, APPS_ENABLE, APPS_DISABLE, APPS_REMOVE, APPS_CURRENT,
            STORAGE_GET, STORAGE_PUT, STORAGE_DELETE, STORAGE_LIST, NOTIFICATIONS_SHOW);

    /** Methods a page origin may never call: only requests without {@code origin} (CLI, popup) may. */
    public static final Set<String> PRIVILEGED = Set.of(PEERS_CONNECT, PEERS_PING, GRANTS_ADD, GRANTS_REVOKE,
            APPS_USAGE, SETTINGS_GET, SETTINGS_SET, DHT_FIND_PEER, DHT_PROVIDE, DHT_FIND_PROVIDERS,
            APPS_LIST, APPS_INSTALL, APPS_INFO, APPS_ENABLE, APPS_DISABLE, APPS_REMOVE);

    private Methods() {
    }
}
