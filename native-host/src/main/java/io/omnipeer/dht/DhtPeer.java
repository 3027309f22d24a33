package io.omnipeer.dht;

import com.google.protobuf.ByteString;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.dht.pb.DhtProtos.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A peer as the DHT passes it around: its ID and the addresses it can be dialled on (possibly none).
 * The wire form is {@code Message.Peer} (libp2p/specs kad-dht/README.md, "RPC messages").
 *
 * @param id    the peer
 * @param addrs its addresses, without {@code /p2p/}; at most {@link DhtCodec#MAX_ADDRS_PER_PEER}
 */
public record DhtPeer(PeerId id, List<Multiaddr> addrs) {
    public DhtPeer {
        addrs = List.copyOf(addrs);
    }

    /** A peer without known addresses. */
    public static DhtPeer of(PeerId id) {
        return new DhtPeer(id, List.of());
    }

    /** The wire form, addresses in binary. */
    public Message.Peer toProto(Message.ConnectionType connection) {
        Message.Peer.Builder b = Message.Peer.newBuilder().setId(ByteString.copyFrom(id.bytes())).setConnection(connection);
        for (Multiaddr a : addrs) {
            b.addAddrs(ByteString.copyFrom(a.bytes()));
        }
        return b.build();
    }

    /**
     * Reads a wire peer; addresses that do not decode are skipped.
     * @return empty if the peer ID itself does not decode (the entry is then ignored, never the whole message)
     */
    public static Optional<DhtPeer> fromProto(Message.Peer p) {
        PeerId id;
        try {
            id = PeerId.fromBytes(p.getId().toByteArray());
        } catch (DecodingException | IllegalArgumentException e) {
            return Optional.empty();
        }
        List<Multiaddr> addrs = new ArrayList<>(p.getAddrsCount());
        for (ByteString b : p.getAddrsList()) {
            try {
                addrs.add(Multiaddr.fromBytes(b.toByteArray()).withoutPeerId());
            } catch (DecodingException | IllegalArgumentException e) {
                // other implementations send transports we do not know (webrtc, quic variants): skip just that one
            }
        }
        return Optional.of(new DhtPeer(id, addrs));
    }

    /** Decodes a list of wire peers, skipping undecodable entries and the given local peer. */
    public static List<DhtPeer> fromProtos(List<Message.Peer> peers, PeerId self) {
        List<DhtPeer> out = new ArrayList<>(peers.size());
        for (Message.Peer p : peers) {
            fromProto(p).filter(d -> !d.id().equals(self)).ifPresent(out::add);
        }
        return out;
    }
}
