package io.omnipeer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.omnipeer.core.Connection;
import io.omnipeer.core.ConnectionListener;
import io.omnipeer.core.Multiaddr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Dial behaviour of real hosts on loopback: dedup of simultaneous dials, shared connects, backoff, pending limit. */
class DialTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static int localPort(Connection c) {
        return ((InetSocketAddress) ((YamuxConnection) c).channel().localAddress()).getPort();
    }

    private static int remotePort(Connection c) {
        return ((InetSocketAddress) ((YamuxConnection) c).channel().remoteAddress()).getPort();
    }

    @Test
    void simultaneousDialsLeaveTheSameSingleConnectionOnBothSides() throws Exception {
        try (TestNode a = new TestNode(); TestNode b = new TestNode()) {
            for (int round = 0; round < 3; round++) {
                CompletableFuture<Connection> ab = a.host.dial(b.address());
                CompletableFuture<Connection> ba = b.host.dial(a.address());
                Connection fromA = ab.get(30, TimeUnit.SECONDS);
                Connection fromB = ba.get(30, TimeUnit.SECONDS);
                await().atMost(WAIT).until(() -> a.host.connections().size() == 1 && b.host.connections().size() == 1);
                Connection keptA = a.host.connections().get(0);
                Connection keptB = b.host.connections().get(0);
                // The same TCP connection seen from both ends.
                assertThat(localPort(keptA)).isEqualTo(remotePort(keptB));
                assertThat(remotePort(keptA)).isEqualTo(localPort(keptB));
                assertThat(List.of(fromA, fromB)).allSatisfy(c -> assertThat(c.remotePeer()).isNotNull());
                assertThat(a.ping.ping(b.host.peerId()).get(30, TimeUnit.SECONDS)).isPositive();
                keptA.close().get(30, TimeUnit.SECONDS);
                await().atMost(WAIT).until(() -> a.host.connections().isEmpty() && b.host.connections().isEmpty());
            }
        }
    }

    @Test
    void aDuplicateWithAnOpenStreamClosesOnceTheStreamEnds() throws Exception {
        try (TestNode a = new TestNode(); TestNode b = new TestNode()) {
            b.host.setStreamHandler(DefaultHostTest.ECHO, s -> s.channel().pipeline()
                    .addLast(new DefaultHostTest.EchoUntilFin(s)));
            List<Connection> opened = new java.util.concurrent.CopyOnWriteArrayList<>();
            a.host.addConnectionListener(opened::add);
            Connection first = a.host.dial(b.address()).get(30, TimeUnit.SECONDS);
            var stream = first.newStream(List.of(DefaultHostTest.ECHO)).get(30, TimeUnit.SECONDS);
            // A second dial from the same side: both ends keep the one from the lower source port.
            a.host.dial(b.address()).get(30, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> opened.size() == 2);
            Connection second = opened.get(1);
            Connection loser = localPort(first) < localPort(second) ? second : first;
            Connection winner = loser == first ? second : first;
            await().atMost(WAIT).until(() -> a.host.connection(b.host.peerId()).orElseThrow() == winner);
            stream.close();
            await().atMost(WAIT).until(() -> !loser.isOpen());
            await().atMost(WAIT).until(() -> b.host.connections().size() == 1 && a.host.connections().size() == 1);
            assertThat(winner.isOpen()).isTrue();
            assertThat(a.ping.ping(b.host.peerId()).get(30, TimeUnit.SECONDS)).isPositive();
        }
    }

    @Test
    void concurrentConnectsToOnePeerShareOneDial() throws Exception {
        try (TestNode a = new TestNode(); TestNode b = new TestNode()) {
            AtomicInteger inbound = new AtomicInteger();
            b.host.addConnectionListener(new ConnectionListener() {
                @Override
                public void onConnected(Connection connection) {
                    inbound.incrementAndGet();
                }
            });
            a.host.peerstore().addAddresses(b.host.peerId(), List.of(b.host.listenAddresses().get(0)));
            List<CompletableFuture<Connection>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(a.host.connect(b.host.peerId()));
            }
            Set<Connection> distinct = new HashSet<>();
            for (CompletableFuture<Connection> c : calls) {
                distinct.add(c.get(30, TimeUnit.SECONDS));
            }
            assertThat(distinct).hasSize(1);
            assertThat(a.ping.ping(b.host.peerId()).get(30, TimeUnit.SECONDS)).isPositive();
            assertThat(inbound).hasValue(1);
        }
    }

    private static Multiaddr deadAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port);
    }

    @Test
    void aFailingAddressIsBackedOffThenRetried() throws Exception {
        HostLimits limits = HostLimits.DEFAULT.withDialLimits(8, Duration.ofMillis(300), Duration.ofSeconds(1));
        try (TestNode a = new TestNode(limits)) {
            Multiaddr dead = deadAddress();
            ExecutionException first = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> a.host.dial(dead).get(30, TimeUnit.SECONDS));
            assertThat(first.getCause()).isNotInstanceOf(DialRefusedException.class);
            assertThatThrownBy(() -> a.host.dial(dead).get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(DialRefusedException.class).hasMessageContaining("dial backoff");
            // After the backoff the address is dialled again (and fails again: nobody listens).
            await().atMost(WAIT).until(() -> {
                try {
                    a.host.dial(dead).get(30, TimeUnit.SECONDS);
                    return false;
                } catch (ExecutionException e) {
                    return !(e.getCause() instanceof DialRefusedException);
                }
            });
        }
    }

    @Test
    void dialsPastThePendingLimitFailWithAClearError() throws Exception {
        HostLimits limits = HostLimits.DEFAULT.withDialLimits(1, Duration.ofMillis(10), Duration.ofMillis(10));
        try (TestNode a = new TestNode(limits); TestNode b = new TestNode();
             ServerSocket silent = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Multiaddr silentAddr = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + silent.getLocalPort());
            CompletableFuture<Connection> hanging = a.host.dial(silentAddr.withPeerId(b.host.peerId()));
            try (Socket accepted = silent.accept()) { // TCP is up; the Noise handshake never gets an answer
                assertThat(hanging).isNotDone();
                assertThatThrownBy(() -> a.host.dial(b.address()).get(30, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(DialRefusedException.class)
                        .hasMessageContaining("too many pending dials");
            }
            await().atMost(WAIT).until(hanging::isDone);
            assertThat(hanging).isCompletedExceptionally();
            assertThat(a.host.dial(b.address()).get(30, TimeUnit.SECONDS).isOpen()).isTrue();
        }
    }

    @Test
    void backoffDoublesPerFailureUpToTheCapAndClearsOnSuccess() {
        long[] now = {0};
        DialBackoff backoff = new DialBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5), () -> now[0]);
        Multiaddr addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/9");
        assertThat(backoff.remaining(addr)).isEmpty();
        long[] expected = {1, 2, 4, 5, 5};
        for (long seconds : expected) {
            backoff.failed(addr);
            assertThat(backoff.remaining(addr)).contains(Duration.ofSeconds(seconds));
        }
        now[0] += Duration.ofSeconds(5).toNanos();
        assertThat(backoff.remaining(addr)).isEmpty();
        assertThat(backoff.failures(addr)).isEqualTo(5);
        backoff.succeeded(addr);
        assertThat(backoff.failures(addr)).isZero();
        for (int i = 0; i < DialBackoff.MAX_ENTRIES + 10; i++) {
            backoff.failed(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (1 + i % 60000) ));
        }
        assertThat(backoff.failures(Multiaddr.parse("/ip4/127.0.0.1/tcp/1"))).isZero();
    }
}
