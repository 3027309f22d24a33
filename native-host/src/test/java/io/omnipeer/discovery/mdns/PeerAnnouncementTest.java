package io.omnipeer.discovery.mdns;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PeerAnnouncementTest {

    private final PeerId peer = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    private final PeerId other = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    private final Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");

    @Test
    void txtRecordsCarryDnsaddrWithPeerIdAndSkipUnspecified() {
        var a = new PeerAnnouncement(peer, List.of(addr, Multiaddr.parse("/ip4/0.0.0.0/tcp/1"),
                Multiaddr.parse("/ip4/127.0.0.1/tcp/4002/p2p/" + peer)));
        assertThat(a.txtRecords("n")).containsExactly(
                MdnsMessage.Record.txt("n._p2p._udp.local", List.of("dnsaddr=/ip4/127.0.0.1/tcp/4001/p2p/" + peer)),
                MdnsMessage.Record.txt("n._p2p._udp.local", List.of("dnsaddr=/ip4/127.0.0.1/tcp/4002/p2p/" + peer)));
    }

    @Test
    void peerNameIsARandomDnsLabel() {
        String n = PeerAnnouncement.randomPeerName();
        assertThat(n).hasSize(63).matches("[a-z0-9]+").isNotEqualTo(PeerAnnouncement.randomPeerName());
    }

    @Test
    void readsTxtFromAnswerOrAdditionalSectionsAlike() {
        var msg = new MdnsMessage(true, List.of(), List.of(
                PeerAnnouncement.answer("n"),
                MdnsMessage.Record.txt("n._p2p._udp.local", List.of("dnsaddr=/ip4/127.0.0.1/tcp/4001/p2p/" + peer)),
                MdnsMessage.Record.txt("N._p2p._udp.local.", List.of("other=1", "dnsaddr=/ip4/127.0.0.1/tcp/4002/p2p/" + peer))));
        assertThat(PeerAnnouncement.fromResponse(msg, Set.of())).containsExactly(new PeerAnnouncement(peer,
                List.of(addr, Multiaddr.parse("/ip4/127.0.0.1/tcp/4002"))));
    }

    @Test
    void skipsOwnInstanceGarbageAndForeignPeerIds() {
        var msg = new MdnsMessage(true, List.of(), List.of(
                PeerAnnouncement.answer("me"),
                MdnsMessage.Record.txt("me._p2p._udp.local", List.of("dnsaddr=/ip4/127.0.0.1/tcp/1/p2p/" + other)),
                PeerAnnouncement.answer("n"),
                MdnsMessage.Record.txt("n._p2p._udp.local", List.of(
                        "dnsaddr=not-a-multiaddr",
                        "dnsaddr=/ip4/127.0.0.1/tcp/9",
                        "dnsaddr=/ip4/127.0.0.1/tcp/4001/p2p/" + peer,
                        "dnsaddr=/ip4/127.0.0.1/tcp/4003/p2p/" + other)),
                PeerAnnouncement.answer("empty")));
        assertThat(PeerAnnouncement.fromResponse(msg, Set.of("me._p2p._udp.local")))
                .containsExactly(new PeerAnnouncement(peer, List.of(addr)));
    }

    @Test
    void capsAddressesPerPeer() {
        List<String> many = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add("dnsaddr=/ip4/127.0.0.1/tcp/" + (1000 + i) + "/p2p/" + peer);
        }
        var msg = new MdnsMessage(true, List.of(), List.of(PeerAnnouncement.answer("n"),
                MdnsMessage.Record.txt("n._p2p._udp.local", many)));
        assertThat(PeerAnnouncement.fromResponse(msg, Set.of()).getFirst().addrs())
                .hasSize(PeerAnnouncement.MAX_ADDRS_PER_PEER);
    }
}
