package io.omnipeer.dht;

/**
 * Whether this node serves the DHT. Spec: libp2p/specs kad-dht/README.md, "Client and server mode": servers
 * advertise {@code /ipfs/kad/1.0.0} in identify and answer it; clients only query.
 */
public enum DhtMode {
    /** Serve when the host listens on at least one address (we have no AutoNAT to tell reachability), else query only. */
    AUTO,
    /** Always serve (default, so loopback/LAN demos and tests form a DHT). */
    SERVER,
    /** Never serve; query only. */
    CLIENT
}
