package io.omnipeer.e2e.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.core.Connection;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.protocol.identify.IdentifyService;
import io.omnipeer.protocol.ping.PingService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Our {@link DefaultHost} with {@link IdentifyService} and {@link PingService}, in-process, against a
 * js-libp2p 3.x node in a child process: dial, identify and ping in both directions, and a 1 MiB echo
 * through host streams both ways. One js node and one host for the class; each test starts disconnected.
 */
class HostInteropTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final String AGENT = "omnipeer-interop-test/0.1";
    static final int PINGS = 20;

    static JsPeer js;
    static DefaultHost host;
    static IdentifyService identify;
    static PingService ping;
    static Multiaddr ourAddr;

    @BeforeAll
    static void start() throws Exception {
        js = JsPeer.start();
        host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), AGENT);
        identify = new IdentifyService(host);
        ping = new PingService(host);
        host.setStreamHandler(JsPeer.ECHO_PROTOCOL, new EchoProtocol());
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        ourAddr = host.listenAddresses().getFirst();
    }

    @AfterAll
    static void stop() throws Exception {
        if (js != null) js.close();
        if (host != null) host.close().get(10, TimeUnit.SECONDS);
    }

    @BeforeEach
    void disconnected() {
        PeerId jsId = js.peerId();
        js.hangUp(host.peerId());
        host.connections().forEach(Connection::close);
        await().atMost(WAIT).until(() -> host.connection(jsId).isEmpty() && !js.peers().contains(host.peerId().toBase58()));
    }

    @Test
    void weDialJsThenBothIdentifyAndPing() throws Exception {
        int mark = js.eventMark();
        long t0 = System.nanoTime();
        Connection c = host.dial(js.addrs().getFirst()).get(10, TimeUnit.SECONDS);
        double connectMs = (System.nanoTime() - t0) / 1e6;
        assertThat(c.remotePeer()).isEqualTo(js.peerId());
        assertThat(c.isInitiator()).isTrue();

        assertWeIdentifiedJs();
        assertJsIdentifiedUs(mark);
        reportPings("we dialled js", connectMs);

        // Warm figures: the first dial above also pays for class loading and JIT.
        List<Double> warm = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            host.connections().forEach(Connection::close);
            await().atMost(WAIT).until(() -> host.connection(js.peerId()).isEmpty());
            long t1 = System.nanoTime();
            host.dial(js.addrs().getFirst()).get(10, TimeUnit.SECONDS);
            warm.add((System.nanoTime() - t1) / 1e6);
        }
        System.out.printf("interop: warm connect to js (TCP + multistream + Noise XX + yamux) median %.1f ms of %s%n",
                median(warm), warm);
    }

    @Test
    void jsDialsUsThenBothIdentifyAndPing() throws Exception {
        int mark = js.eventMark();
        long t0 = System.nanoTime();
        assertThat(js.dial(ourAddr.withPeerId(host.peerId()))).isEqualTo(host.peerId());
        double connectMs = (System.nanoTime() - t0) / 1e6;
        await().atMost(WAIT).until(() -> host.connection(js.peerId()).isPresent());
        assertThat(host.connection(js.peerId()).orElseThrow().isInitiator()).isFalse();

        assertWeIdentifiedJs();
        assertJsIdentifiedUs(mark);
        reportPings("js dialled us", connectMs);
    }

    @Test
    void oneMebibyteEchoesThroughHostStreamsBothWays() throws Exception {
        host.dial(js.addrs().getFirst()).get(10, TimeUnit.SECONDS);
        JsPeer.EchoResult r = js.echo(host.peerId(), 1 << 20);
        assertThat(r.received()).isEqualTo(1 << 20);
        assertThat(r.match()).isTrue();

        byte[] sent = new byte[1 << 20];
        new java.security.SecureRandom().nextBytes(sent);
        byte[] back = EchoProtocol.roundTrip(host, js.peerId(), sent, WAIT);
        assertThat(back).isEqualTo(sent);
        System.out.printf("interop echo 1 MiB: js->us->js %.1f ms%n", r.ms());
    }

    @Test
    void manyConcurrentStreamsBothWays() throws Exception {
        int streams = 32;
        int bytes = 64 * 1024;
        host.dial(js.addrs().getFirst()).get(10, TimeUnit.SECONDS);
        JsPeer.EchoResult r = js.echo(host.peerId(), bytes, streams);
        assertThat(r.received()).isEqualTo((long) streams * bytes);
        assertThat(r.match()).isTrue();

        List<java.util.concurrent.CompletableFuture<Boolean>> ours = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            byte[] sent = new byte[bytes];
            new java.security.SecureRandom().nextBytes(sent);
            ours.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return java.util.Arrays.equals(EchoProtocol.roundTrip(host, js.peerId(), sent, WAIT), sent);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        for (var f : ours) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void unsupportedProtocolsAreRefusedCleanlyBothWays() throws Exception {
        host.dial(js.addrs().getFirst()).get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> js.openStream(host.peerId(), "/omnipeer-e2e/nobody-speaks-this/1.0.0"))
                .isInstanceOf(JsPeer.JsPeerException.class);
        assertThatThrownBy(() -> host.newStream(js.peerId(), "/omnipeer-e2e/nobody-speaks-this/1.0.0")
                .get(10, TimeUnit.SECONDS)).isInstanceOf(java.util.concurrent.ExecutionException.class);
        // The connection survives both refusals.
        assertThat(js.openStream(host.peerId(), JsPeer.ECHO_PROTOCOL)).isEqualTo(JsPeer.ECHO_PROTOCOL);
        assertThat(ping.ping(js.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
    }

    @Test
    void streamResetsEitherWayLeaveTheConnectionUsable() throws Exception {
        Connection c = host.dial(js.addrs().getFirst()).get(10, TimeUnit.SECONDS);
        int mark = js.eventMark();
        js.call("abort-echo", java.util.Map.of("peer", host.peerId().toBase58(), "bytes", 64 * 1024));

        io.omnipeer.core.Stream ours = host.newStream(js.peerId(), JsPeer.ECHO_PROTOCOL).get(10, TimeUnit.SECONDS);
        ours.channel().writeAndFlush(io.netty.buffer.Unpooled.wrappedBuffer(new byte[64 * 1024])).sync();
        ours.reset();
        await().atMost(WAIT).until(() -> !ours.channel().isActive());

        assertThat(c.isOpen()).isTrue();
        assertThat(ping.ping(js.peerId()).get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(js.ping(host.peerId())).isGreaterThanOrEqualTo(0);
        assertThat(js.echo(host.peerId(), 4096).match()).isTrue();
        assertThat(js.eventsAfter(mark)).noneMatch(e -> e.path("event").asText().equals("peer:disconnect"));
    }

    @Test
    void identifyPushBothWays() throws Exception {
        host.dial(js.addrs().getFirst()).get(10, TimeUnit.SECONDS);
        assertWeIdentifiedJs();
        String ours = "/omnipeer-e2e/ours/" + System.nanoTime();
        String theirs = "/omnipeer-e2e/theirs/" + System.nanoTime();
        host.setStreamHandler(ours, new EchoProtocol());
        try {
            await().atMost(WAIT).until(() -> js.identifyInfo(host.peerId()).protocols().contains(ours));
            js.handle(theirs);
            await().atMost(WAIT).until(() -> host.peerstore().protocols(js.peerId()).contains(theirs));
        } finally {
            host.removeStreamHandler(ours);
        }
    }

    private void assertWeIdentifiedJs() {
        PeerId jsId = js.peerId();
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(host.peerstore().protocols(jsId)).containsAll(js.protocols());
            assertThat(host.peerstore().agentVersion(jsId)).contains(js.agentVersion());
            assertThat(host.peerstore().addresses(jsId)).contains(js.addrs().getFirst().withoutPeerId());
        });
    }

    private void assertJsIdentifiedUs(int mark) {
        String ours = host.peerId().toBase58();
        JsonNode e = js.awaitEventAfter(mark, "peer:identify", ev -> ev.get("peerId").asText().equals(ours), WAIT);
        assertThat(texts(e.get("protocols"))).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", JsPeer.ECHO_PROTOCOL);
        assertThat(texts(e.get("listenAddrs"))).anySatisfy(a -> assertThat(Multiaddr.parse(a).withoutPeerId()).isEqualTo(ourAddr));
        assertThat(e.get("agentVersion").asText()).isEqualTo(AGENT);
        JsPeer.IdentifyInfo info = js.identifyInfo(host.peerId());
        assertThat(info.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/ping/1.0.0");
        assertThat(info.agentVersion()).isEqualTo(AGENT);
    }

    private void reportPings(String how, double connectMs) throws Exception {
        List<Double> ours = new ArrayList<>();
        List<Double> theirs = new ArrayList<>();
        for (int i = 0; i < PINGS; i++) {
            ours.add(ping.ping(js.peerId()).get(10, TimeUnit.SECONDS).toNanos() / 1e6);
            theirs.add(js.ping(host.peerId()));
        }
        assertThat(ours).allMatch(ms -> ms >= 0);
        assertThat(theirs).allMatch(ms -> ms >= 0);
        System.out.printf("interop (%s): connect %.1f ms; ping RTT median ours->js %.2f ms, js->ours %.2f ms (%d each)%n",
                how, connectMs, median(ours), median(theirs), PINGS);
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }

    static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }
}
