package io.omnipeer.discovery.mdns;

import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One peer's libp2p mDNS announcement (libp2p/specs discovery/mdns.md, "Response"): the answer
 * {@code _p2p._udp.local PTR <peer-name>._p2p._udp.local} plus TXT records
 * {@code <peer-name>._p2p._udp.local TXT "dnsaddr=<multiaddr>/p2p/<peer-id>"}, one per address.
 * Immutable.
 *
 * @param peer  the announced peer
 * @param addrs its addresses, without the {@code /p2p/} suffix
 */
public record PeerAnnouncement(PeerId peer, List<Multiaddr> addrs) {

    /** The DNS-SD service name of libp2p peers. */
    public static final String SERVICE_NAME = "_p2p._udp.local";
    /** Prefix of a TXT character-string carrying one address (discovery/mdns.md). */
    public static final String DNSADDR_PREFIX = "dnsaddr=";
    /** Addresses taken from (and put into) one announcement; the rest are dropped. */
    public static final int MAX_ADDRS_PER_PEER = 32;
    /** RFC 1035 section 2.3.4: a label is at most 63 bytes; the spec's peer name is 32..63 random chars. */
    public static final int PEER_NAME_LENGTH = 63;
    private static final String PEER_NAME_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    public PeerAnnouncement {
        addrs = List.copyOf(addrs);
    }

    /** A fresh random peer name (the spec forbids deriving it from the peer ID, for privacy). */
    public static String randomPeerName() {
        StringBuilder sb = new StringBuilder(PEER_NAME_LENGTH);
        for (int i = 0; i < PEER_NAME_LENGTH; i++) {
            sb.append(PEER_NAME_ALPHABET.charAt(RANDOM.nextInt(PEER_NAME_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** The PTR answer for {@code peerName}. */
    public static MdnsMessage.Record answer(String peerName) {
        return MdnsMessage.Record.ptr(SERVICE_NAME, peerName + "." + SERVICE_NAME);
    }

    /**
     * TXT records for this announcement, one per address that fits into a character-string;
     * unspecified addresses (0.0.0.0, ::) are left out since nobody can dial them.
     */
    public List<MdnsMessage.Record> txtRecords(String peerName) {
        List<MdnsMessage.Record> out = new ArrayList<>();
        for (Multiaddr a : addrs) {
            if (out.size() == MAX_ADDRS_PER_PEER) {
                break;
            }
            String host = a.host().orElse("");
            if (host.equals("0.0.0.0") || host.equals("::")) {
                continue;
            }
            String s = DNSADDR_PREFIX + a.withoutPeerId().withPeerId(peer);
            if (s.getBytes(StandardCharsets.UTF_8).length <= MdnsCodec.MAX_TXT_STRING_BYTES) {
                out.add(MdnsMessage.Record.txt(peerName + "." + SERVICE_NAME, List.of(s)));
            }
        }
        return out;
    }

    /**
     * The announcements in a response. A PTR for {@link #SERVICE_NAME} in any section names an instance;
     * its TXT records are matched by owner name and may sit in the answer section (js-libp2p) or in the
     * additional section (the spec). Strings other than {@code dnsaddr=…}, unparsable addresses and
     * addresses without {@code /p2p/} are skipped; an instance whose addresses name different peers
     * keeps those of the first peer. Instances in {@code ignoredInstances} (our own) are skipped.
     */
    public static List<PeerAnnouncement> fromResponse(MdnsMessage response, Set<String> ignoredInstances) {
        Set<String> instances = new LinkedHashSet<>();
        Map<String, List<String>> txtByName = new LinkedHashMap<>();
        for (MdnsMessage.Record r : response.records()) {
            if (r.type() == MdnsMessage.TYPE_PTR && r.name().equals(SERVICE_NAME)) {
                instances.add(r.ptrTarget());
            } else if (r.type() == MdnsMessage.TYPE_TXT) {
                txtByName.computeIfAbsent(r.name(), k -> new ArrayList<>()).addAll(r.txt());
            }
        }
        instances.removeAll(ignoredInstances);
        List<PeerAnnouncement> out = new ArrayList<>();
        for (String instance : instances) {
            fromTxt(txtByName.getOrDefault(instance, List.of())).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<PeerAnnouncement> fromTxt(List<String> strings) {
        PeerId peer = null;
        List<Multiaddr> addrs = new ArrayList<>();
        for (String s : strings) {
            if (!s.startsWith(DNSADDR_PREFIX) || addrs.size() == MAX_ADDRS_PER_PEER) {
                continue;
            }
            Multiaddr a;
            try {
                a = Multiaddr.parse(s.substring(DNSADDR_PREFIX.length()));
            } catch (DecodingException e) {
                continue;
            }
            Optional<PeerId> id = a.peerId();
            if (id.isEmpty() || (peer != null && !peer.equals(id.get()))) {
                continue;
            }
            peer = id.get();
            addrs.add(a.withoutPeerId());
        }
        return peer == null ? Optional.empty() : Optional.of(new PeerAnnouncement(peer, addrs));
    }
}
