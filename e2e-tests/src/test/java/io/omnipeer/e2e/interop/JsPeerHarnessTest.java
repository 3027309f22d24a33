package io.omnipeer.e2e.interop;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The harness itself: two js-libp2p peers talk through {@link JsPeer} (dial, ping, floodsub, errors). */
class JsPeerHarnessTest {

    static JsPeer a;
    static JsPeer b;

    @BeforeAll
    static void start() throws Exception {
        a = JsPeer.start();
        b = JsPeer.start();
    }

    @AfterAll
    static void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    @Test
    void dialPingAndFloodsubBetweenTwoJsPeers() {
        assertThat(a.protocols()).contains("/ipfs/id/1.0.0", "/ipfs/id/push/1.0.0", "/ipfs/ping/1.0.0", "/floodsub/1.0.0");
        assertThat(a.dial(b.addrs().getFirst())).isEqualTo(b.peerId());
        assertThat(a.ping(b.peerId())).isGreaterThanOrEqualTo(0);
        b.awaitEvent("peer:identify", e -> e.get("peerId").asText().equals(a.peerId().toBase58()), Duration.ofSeconds(10));

        a.subscribe("harness");
        b.subscribe("harness");
        await().atMost(Duration.ofSeconds(10)).until(() -> a.subscribers("harness").contains(b.peerId().toBase58()));
        a.publish("harness", "hi".getBytes(StandardCharsets.UTF_8));
        var msg = b.awaitEvent("message", e -> e.get("topic").asText().equals("harness"), Duration.ofSeconds(10));
        assertThat(Base64.getDecoder().decode(msg.get("data").asText())).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
        assertThat(msg.get("from").asText()).isEqualTo(a.peerId().toBase58());
    }

    @Test
    void echoOfOneMebibyteBetweenTwoJsPeers() {
        a.dial(b.addrs().getFirst());
        JsPeer.EchoResult r = a.echo(b.peerId(), 1 << 20);
        assertThat(r.received()).isEqualTo(1 << 20);
        assertThat(r.match()).isTrue();
    }

    /** Baseline figures for HostInteropTest's: js-to-js connect time and ping RTT on this machine. */
    @Test
    void jsToJsBaselineFigures() {
        java.util.List<Double> connects = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            a.hangUp(b.peerId());
            long t0 = System.nanoTime();
            a.dial(b.addrs().getFirst());
            connects.add((System.nanoTime() - t0) / 1e6);
        }
        java.util.List<Double> pings = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            pings.add(a.ping(b.peerId()));
        }
        assertThat(pings).allMatch(ms -> ms >= 0);
        System.out.printf("baseline js->js: connect (incl. one JSON round trip) median %.1f ms of %s; ping RTT median %.2f ms (20)%n",
                HostInteropTest.median(connects), connects, HostInteropTest.median(pings));
    }

    @Test
    void jsErrorsSurfaceAsExceptions() {
        assertThatThrownBy(() -> a.call("no-such-command", java.util.Map.of()))
                .isInstanceOf(JsPeer.JsPeerException.class).hasMessageContaining("unknown cmd");
    }
}
