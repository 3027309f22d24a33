package io.omnipeer.pubsub;

/**
 * Our long-lived outbound pubsub stream to one peer, as a router sees it: somewhere to write encoded
 * {@code RPC} protobufs. Production writes them uvarint-framed on a yamux stream ({@link StreamRpcSink});
 * the simulator ({@code io.omnipeer.sim}) delivers them in memory after a virtual link latency.
 * Spec: libp2p/specs pubsub/README.md, "Stream management" (one stream per direction per peer).
 *
 * <p>Implementations are thread-safe and never block.
 */
public interface RpcSink {
    /** The protocol negotiated on the stream ({@code /meshsub/1.1.0}, {@code /meshsub/1.0.0} or {@code /floodsub/1.0.0}). */
    String protocol();

    /** False once the stream closed or was reset; writes are then dropped. */
    boolean isOpen();

    /** Writes one encoded RPC (without its length prefix). Best effort: may drop when the peer is too slow. */
    void send(byte[] rpc);

    /** Closes our side of the stream. */
    void close();
}
