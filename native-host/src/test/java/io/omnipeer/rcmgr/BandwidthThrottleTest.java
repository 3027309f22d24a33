package io.omnipeer.rcmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnipeer.core.Connection;
import io.omnipeer.core.Stream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 4, "Limits": an app capped at N KiB/s is measured within ±15% of N over a bulk stream while a second,
 * uncapped app on the same connection keeps full speed. Two real hosts on loopback (TCP + Noise + yamux).
 * The capped rate is what the token bucket controls; for the uncapped app we only assert that it clearly
 * exceeds the cap (this machine is shared and noisy).
 */
class BandwidthThrottleTest {
    private static final String APP_A = "org.example.a";
    private static final String APP_B = "org.example.b";
    private static final String BULK_A = "/omnipeer/app/" + APP_A + "/bulk/1.0.0";
    private static final String BULK_B = "/omnipeer/app/" + APP_B + "/bulk/1.0.0";
    private static final String BULK_SYSTEM = "/omnipeer/test/bulk/1.0.0";
    /**
     * The cap. A 256 KiB yamux window carries at most window / latency, and next to a saturating stream the latency
     * is that of the TCP buffers it fills (about 1 s at load 16 on this machine, where a 512 KiB/s cap was then
     * carried at 400-430 KiB/s with or without a throttle); 256 KiB/s keeps the window out of the measurement.
     */
    private static final long CAP_KIBPS = 256;
    private static final long CAP = CAP_KIBPS * 1024;
    /** A sends 6 s worth; the rate is measured between 1 s (past the bucket's initial burst) and 5 s worth received. */
    private static final long A_TOTAL = 6 * CAP;
    private static final long MARK_A = CAP;
    private static final long MARK_B = MARK_A + 4 * CAP;
    /** B sends 24 MiB as fast as it can, starting during A's measurement. */
    private static final long B_TOTAL = 24L * 1024 * 1024;
    /**
     * "Clearly above the cap": the uncapped app must move at least this many times the cap. Unloaded it runs at
     * 30-50 MiB/s here (60-100×); under the other sessions' test suites we saw 9 MiB/s.
     */
    private static final double UNCAPPED_FACTOR = 4;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private Peer sender;
    private Peer receiver;
    private final AtomicReference<Bulk.Sink> sinkA = new AtomicReference<>();
    private final AtomicReference<Bulk.Sink> sinkB = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        sender = new Peer();
        receiver = new Peer();
        receiver.host.setStreamHandler(BULK_A, s -> s.channel().pipeline().addLast(sink(sinkA)));
        receiver.host.setStreamHandler(BULK_B, s -> s.channel().pipeline().addLast(sink(sinkB)));
        receiver.host.setStreamHandler(BULK_SYSTEM, s -> s.channel().pipeline().addLast(sink(sinkA)));
    }

    private static Bulk.Sink sink(AtomicReference<Bulk.Sink> slot) {
        Bulk.Sink sink = new Bulk.Sink(MARK_A, MARK_B);
        slot.set(sink);
        return sink;
    }

    @AfterEach
    void stop() throws Exception {
        sender.close();
        receiver.close();
    }

    @Test
    void outboundCapOnTheSenderHoldsWhileAnUncappedAppKeepsFullSpeed() throws Exception {
        sender.resources.setAppLimits(APP_A, new AppLimits(0, CAP_KIBPS, 0, 0));
        runCappedAndUncapped();
        assertThat(sender.resources.usage(APP_A).bytesOut()).isEqualTo(A_TOTAL);
        assertThat(sender.resources.usage(APP_B).bytesOut()).isEqualTo(B_TOTAL);
    }

    @Test
    void inboundCapOnTheReceiverHoldsWhileAnUncappedAppKeepsFullSpeed() throws Exception {
        receiver.resources.setAppLimits(APP_A, new AppLimits(CAP_KIBPS, 0, 0, 0));
        runCappedAndUncapped();
        assertThat(receiver.resources.usage(APP_A).bytesIn()).isEqualTo(A_TOTAL);
        assertThat(receiver.resources.usage(APP_B).bytesIn()).isEqualTo(B_TOTAL);
    }

    @Test
    void globalOutboundLimitCapsSystemTraffic() throws Exception {
        sender.resources.setGlobalBandwidth(0, CAP_KIBPS);
        Connection c = sender.dial(receiver);
        open(c, BULK_SYSTEM, A_TOTAL);
        Bulk.Sink a = await().atMost(WAIT).until(sinkA::get, s -> s != null);
        assertThat(a.done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(A_TOTAL);
        report("global out cap, system stream", a.markedRate());
        assertThat(a.markedRate()).isCloseTo(CAP, Percentage.withPercentage(15));
        assertThat(a.mismatchAt).isEqualTo(-1);
    }

    @Test
    void inboundCapHoldsOnAStreamWeOpenedWhoseHandlersCameLater() throws Exception {
        receiver.resources.setAppLimits(APP_A, new AppLimits(CAP_KIBPS, 0, 0, 0));
        String serve = "/omnipeer/app/" + APP_A + "/serve/1.0.0";
        sender.host.setStreamHandler(serve, s -> s.channel().pipeline().addLast(new Bulk.Sender(s, A_TOTAL)));
        Connection c = receiver.dial(sender);
        Stream stream = c.newStream(List.of(serve)).get(10, TimeUnit.SECONDS);
        Bulk.Sink a = new Bulk.Sink(MARK_A, MARK_B);
        stream.channel().pipeline().addLast(a);
        assertThat(a.done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(A_TOTAL);
        report("capped app A, inbound, stream opened by the capped side", a.markedRate());
        assertThat(a.mismatchAt).isEqualTo(-1);
        assertThat(a.markedRate()).isCloseTo(CAP, Percentage.withPercentage(15));
    }

    private void runCappedAndUncapped() throws Exception {
        Connection c = sender.dial(receiver);
        open(c, BULK_A, A_TOTAL);
        Bulk.Sink a = await().atMost(WAIT).until(sinkA::get, s -> s != null);
        await().atMost(WAIT).until(() -> a.markANanos != 0);
        open(c, BULK_B, B_TOTAL);
        Bulk.Sink b = await().atMost(WAIT).until(sinkB::get, s -> s != null);

        assertThat(b.done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(B_TOTAL);
        assertThat(a.done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(A_TOTAL);
        double capped = a.markedRate();
        double uncapped = b.overallRate();
        report("capped app A", capped);
        report("uncapped app B (same connection)", uncapped);
        assertThat(a.mismatchAt).as("first corrupted byte of A").isEqualTo(-1);
        assertThat(b.mismatchAt).as("first corrupted byte of B").isEqualTo(-1);
        assertThat(capped).as("A's rate vs its cap of %d B/s", CAP).isCloseTo(CAP, Percentage.withPercentage(15));
        assertThat(uncapped).as("B's rate vs A's cap").isGreaterThan(UNCAPPED_FACTOR * CAP);
        assertThat(b.firstNanos).as("B ran while A was throttled").isLessThan(a.lastNanos);
        // the held bytes' memory (reserved by the inbound throttle) and the streams are released at close
        for (Peer p : List.of(sender, receiver)) {
            await().atMost(WAIT).until(() -> p.resources.systemScope().usage().streams() == 0
                    && p.resources.systemScope().usage().memory() == 0);
        }
    }

    private static void open(Connection c, String protocol, long total) throws Exception {
        c.newStream(List.of(protocol), (Stream s) -> s.channel().pipeline().addLast(new Bulk.Sender(s, total)))
                .get(10, TimeUnit.SECONDS);
    }

    private static void report(String what, double bytesPerSecond) {
        System.out.printf("FIGURE %s: %.1f KiB/s (cap %d KiB/s)%n", what, bytesPerSecond / 1024, CAP_KIBPS);
    }
}
