package io.omnipeer.discovery.mdns;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two mDNS services on the loopback interface find each other (real multicast sockets, lo only). */
class MdnsServiceTest {

    static final int QUERY_BURST = 20;

    @BeforeAll
    static void loopbackMulticast() throws Exception {
        LoopbackMulticast.ensureEnabled();
    }

    @Test
    void twoServicesOnLoopbackFindEachOther() throws Exception {
        int port = LoopbackMulticast.freeUdpPort();
        var config = new MdnsService.Config(port, Duration.ofMillis(500));
        PeerId a = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        PeerId b = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr addrA = Multiaddr.parse("/ip4/127.0.0.1/tcp/41001");
        Multiaddr addrB = Multiaddr.parse("/ip4/127.0.0.1/tcp/41002");
        Map<PeerId, List<Multiaddr>> foundByA = new ConcurrentHashMap<>();
        Map<PeerId, List<Multiaddr>> foundByB = new ConcurrentHashMap<>();
        try (var mdnsA = new MdnsService(a, () -> List.of(addrA), LoopbackMulticast.INTERFACE, foundByA::put, config);
             var mdnsB = new MdnsService(b, () -> List.of(addrB), LoopbackMulticast.INTERFACE, foundByB::put, config)) {
            mdnsA.start();
            mdnsB.start();
            await().atMost(Duration.ofSeconds(15)).until(() -> foundByA.containsKey(b) && foundByB.containsKey(a));
            assertThat(foundByA.get(b)).containsExactly(addrB);
            assertThat(foundByB.get(a)).containsExactly(addrA);
            assertThat(foundByA).doesNotContainKey(a);
            assertThat(foundByB).doesNotContainKey(b);
        }
    }

    /**
     * A raw multicast socket on lo plays a hostile or chatty peer: garbage and oversized datagrams are
     * dropped, the service still answers, and a burst of queries gets far fewer answers than queries
     * (at most one a second, RFC 6762 section 6; a burst right after an answer gets a deferred one).
     */
    @Test
    void survivesGarbageAndAnswersAQueryBurstSparingly() throws Exception {
        int port = LoopbackMulticast.freeUdpPort();
        PeerId a = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        Multiaddr addrA = Multiaddr.parse("/ip4/127.0.0.1/tcp/41003");
        NetworkInterface lo = NetworkInterface.getByName(LoopbackMulticast.INTERFACE);
        InetSocketAddress group = new InetSocketAddress(InetAddress.getByName(MdnsService.MDNS_GROUP), port);
        try (var mdns = new MdnsService(a, () -> List.of(addrA), LoopbackMulticast.INTERFACE, (p, x) -> { },
                new MdnsService.Config(port, Duration.ofHours(1)));
             MulticastSocket raw = new MulticastSocket(null)) {
            raw.setReuseAddress(true);
            raw.bind(new InetSocketAddress(port));
            raw.setNetworkInterface(lo);
            raw.joinGroup(group, lo);
            raw.setSoTimeout(200);
            mdns.start();
            Thread.sleep(MdnsService.MIN_ANSWER_INTERVAL.toMillis() + 100); // let the start-up exchange pass
            drain(raw);

            raw.send(new DatagramPacket(new byte[]{1, 2, 3}, 3, group));
            byte[] huge = new byte[MdnsCodec.MAX_PACKET_BYTES + 1];
            raw.send(new DatagramPacket(huge, huge.length, group));
            ByteBuf q = MdnsCodec.encodeQuery(ByteBufAllocator.DEFAULT, List.of(PeerAnnouncement.SERVICE_NAME));
            byte[] query = ByteBufUtil.getBytes(q);
            q.release();
            for (int i = 0; i < QUERY_BURST; i++) {
                raw.send(new DatagramPacket(query, query.length, group));
            }
            List<PeerAnnouncement> answers = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            int quietReads = 0;
            // Read until the first answer, then until two receive timeouts in a row (bounded by the deadline).
            while (System.nanoTime() < deadline && (answers.isEmpty() || quietReads < 2)) {
                MdnsMessage m = receive(raw);
                if (m == null) {
                    quietReads++;
                } else if (m.response()) {
                    quietReads = 0;
                    answers.addAll(PeerAnnouncement.fromResponse(m, java.util.Set.of()));
                }
            }
            assertThat(answers).isNotEmpty().hasSizeLessThanOrEqualTo(3)
                    .allMatch(x -> x.equals(new PeerAnnouncement(a, List.of(addrA))));
        }
    }

    private static void drain(MulticastSocket raw) throws Exception {
        while (receive(raw) != null) {
            // discard
        }
    }

    private static MdnsMessage receive(MulticastSocket raw) throws Exception {
        byte[] buf = new byte[MdnsCodec.MAX_PACKET_BYTES + 100];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            raw.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        try {
            return MdnsCodec.decode(Unpooled.wrappedBuffer(buf, 0, p.getLength()));
        } catch (io.omnipeer.core.DecodingException e) {
            return new MdnsMessage(false, List.of(), List.of());
        }
    }

    @Test
    void refusesUnknownInterface() {
        PeerId a = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                        new MdnsService(a, List::of, "no-such-if0", (p, addrs) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
