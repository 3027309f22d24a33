package io.omnipeer.node;

import io.omnipeer.connmgr.ConnectionLimits;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.dht.DhtConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to start a node.
 *
 * @param dataDir       holds identity.key, omnipeer.db and control.sock
 * @param listenAddrs   TCP listen addresses ({@code /ip4/0.0.0.0/tcp/0} picks a free port)
 * @param bootstrap     multiaddrs (text, may use dns/dnsaddr) dialled at start
 * @param mdns          whether to run mDNS discovery
 * @param mdnsInterface network interface name for mDNS, or null for all
 * @param agentVersion  the identify agent version, e.g. {@code omnipeer/0.1.0}
 * @param dht           Kademlia DHT settings (mode, alpha, disjoint paths, record/provider times); null = defaults
 * @param connections   connection manager watermarks and grace period; null = {@link ConnectionLimits#DEFAULT}
 */
public record NodeConfig(Path dataDir, List<Multiaddr> listenAddrs, List<String> bootstrap, boolean mdns,
                         String mdnsInterface, String agentVersion, DhtConfig dht, ConnectionLimits connections) {
    /** Agent version announced by identify unless configured otherwise. */
    public static final String DEFAULT_AGENT_VERSION = "omnipeer/0.1.0";

    public NodeConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        listenAddrs = List.copyOf(listenAddrs);
        bootstrap = List.copyOf(bootstrap);
        agentVersion = agentVersion == null ? DEFAULT_AGENT_VERSION : agentVersion;
        dht = dht == null ? DhtConfig.defaults() : dht;
        connections = connections == null ? ConnectionLimits.DEFAULT : connections;
    }

    /** A config with the default connection watermarks. */
    public NodeConfig(Path dataDir, List<Multiaddr> listenAddrs, List<String> bootstrap, boolean mdns,
                      String mdnsInterface, String agentVersion, DhtConfig dht) {
        this(dataDir, listenAddrs, bootstrap, mdns, mdnsInterface, agentVersion, dht, null);
    }

    /** A config with the default DHT settings (server mode). */
    public NodeConfig(Path dataDir, List<Multiaddr> listenAddrs, List<String> bootstrap, boolean mdns,
                      String mdnsInterface, String agentVersion) {
        this(dataDir, listenAddrs, bootstrap, mdns, mdnsInterface, agentVersion, null, null);
    }

    /** This config with other DHT settings. */
    public NodeConfig withDht(DhtConfig dhtConfig) {
        return new NodeConfig(dataDir, listenAddrs, bootstrap, mdns, mdnsInterface, agentVersion, dhtConfig, connections);
    }

    /** This config with other connection watermarks. */
    public NodeConfig withConnections(ConnectionLimits limits) {
        return new NodeConfig(dataDir, listenAddrs, bootstrap, mdns, mdnsInterface, agentVersion, dht, limits);
    }
}
