package io.omnipeer.dht;

import com.google.protobuf.InvalidProtocolBufferException;
import io.omnipeer.core.DecodingException;
import io.omnipeer.dht.pb.DhtProtos.Message;
import java.util.List;

/**
 * Decodes and validates one kad-dht {@link Message} (the payload of one uvarint-length-prefixed frame,
 * libp2p/specs kad-dht/README.md, "RPC messages"). Stateless and thread-safe. Any violation throws
 * {@link DecodingException}; the caller resets only the stream the message came on.
 */
public final class DhtCodec {
    /**
     * Largest accepted frame payload, bytes. The spec gives no limit; go-libp2p bounds DHT messages at 4 MiB,
     * we keep 64 KiB: a full reply (20 peers x 8 addrs) is a few KiB and records are small (IPNS caps at 10 KiB).
     */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** Largest key, bytes (a CID multihash or a namespaced record key). */
    public static final int MAX_KEY_BYTES = 1024;
    /** Most closerPeers/providerPeers entries per message (k = 20, with slack for other implementations). */
    public static final int MAX_PEERS = 64;
    /** Most addresses per peer entry. */
    public static final int MAX_ADDRS_PER_PEER = 32;

    private DhtCodec() {}

    /** Parses and bounds-checks {@code payload}; throws DecodingException saying what is wrong. */
    public static Message decode(byte[] payload) {
        if (payload.length > MAX_MESSAGE_BYTES) {
            throw new DecodingException("dht message of " + payload.length + " bytes exceeds " + MAX_MESSAGE_BYTES);
        }
        Message m;
        try {
            m = Message.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            throw new DecodingException("malformed dht message: " + e.getMessage());
        }
        if (m.getType() == Message.MessageType.UNRECOGNIZED) {
            throw new DecodingException("unknown dht message type " + m.getTypeValue());
        }
        if (m.getKey().size() > MAX_KEY_BYTES) {
            throw new DecodingException("dht key of " + m.getKey().size() + " bytes exceeds " + MAX_KEY_BYTES);
        }
        checkPeers("closerPeers", m.getCloserPeersList());
        checkPeers("providerPeers", m.getProviderPeersList());
        return m;
    }

    /** Serialises {@code m}; throws IllegalArgumentException if it would exceed {@link #MAX_MESSAGE_BYTES}. */
    public static byte[] encode(Message m) {
        int size = m.getSerializedSize();
        if (size > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("dht message of " + size + " bytes exceeds " + MAX_MESSAGE_BYTES);
        }
        return m.toByteArray();
    }

    private static void checkPeers(String field, List<Message.Peer> peers) {
        if (peers.size() > MAX_PEERS) {
            throw new DecodingException(field + " has " + peers.size() + " entries, more than " + MAX_PEERS);
        }
        for (Message.Peer p : peers) {
            if (p.getAddrsCount() > MAX_ADDRS_PER_PEER) {
                throw new DecodingException(field + " entry has " + p.getAddrsCount() + " addrs, more than "
                        + MAX_ADDRS_PER_PEER);
            }
        }
    }
}
