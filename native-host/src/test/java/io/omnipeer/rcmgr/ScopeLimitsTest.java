package io.omnipeer.rcmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.omnipeer.core.Connection;
import io.omnipeer.core.Stream;
import io.omnipeer.rcmgr.ResourceManager.ScopeKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Limits per scope between real loopback hosts: the refused reservation fails with a
 * {@link ResourceLimitException} naming the limit, scope, current and max; other peers and apps are unaffected;
 * everything reserved is released when streams and connections close.
 */
class ScopeLimitsTest {
    private static final String APP_A = "org.example.a";
    private static final String APP_B = "org.example.b";
    private static final String PROTO_A = "/omnipeer/app/" + APP_A + "/hold/1.0.0";
    private static final String PROTO_B = "/omnipeer/app/" + APP_B + "/hold/1.0.0";
    private static final String SYSTEM_PROTO = "/omnipeer/test/hold/1.0.0";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Peer a;
    private Peer b;
    private Peer c;

    @BeforeEach
    void start() throws Exception {
        a = new Peer();
        b = new Peer();
        c = new Peer();
        for (Peer p : List.of(a, b, c)) {
            for (String proto : List.of(PROTO_A, PROTO_B, SYSTEM_PROTO)) {
                p.host.setStreamHandler(proto, s -> s.channel().pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ctx.writeAndFlush(msg);
                    }
                }));
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Peer p : List.of(a, b, c)) {
            p.close();
        }
    }

    @Test
    void peerOutboundStreamLimitRefusesTheNextStreamToThatPeerOnly() throws Exception {
        a.resources.setDefaultLimits(ScopeKind.PEER, ScopeLimits.UNLIMITED.withStreams(100, 2, 100));
        Connection toB = a.dial(b);
        open(toB, SYSTEM_PROTO);
        open(toB, SYSTEM_PROTO);

        ResourceLimitException e = limitFailure(toB.newStream(List.of(SYSTEM_PROTO)));
        assertThat(e.limit()).isEqualTo("streams outbound");
        assertThat(e.scope()).isEqualTo("peer:" + b.host.peerId().toBase58());
        assertThat(e.current()).isEqualTo(2);
        assertThat(e.max()).isEqualTo(2);
        assertThat(e.getMessage()).contains("streams outbound limit reached").contains("2 in use, max 2");
        assertThat(a.resources.refusals()).containsEntry("peer streams outbound", 1L);

        Connection toC = a.dial(c);
        open(toC, SYSTEM_PROTO);
        open(toC, SYSTEM_PROTO);
    }

    @Test
    void peerInboundStreamLimitResetsTheExtraStreamAndKeepsServingOthers() throws Exception {
        b.resources.setDefaultLimits(ScopeKind.PEER, ScopeLimits.UNLIMITED.withStreams(1, 100, 100));
        Connection aToB = a.dial(b);
        open(aToB, SYSTEM_PROTO);
        assertThatThrownBy(() -> aToB.newStream(List.of(SYSTEM_PROTO)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThat(aToB.isOpen()).isTrue();
        open(c.dial(b), SYSTEM_PROTO);
    }

    @Test
    void appStreamLimitRefusesThatAppOnly() throws Exception {
        a.resources.setLimits("app:" + APP_A, ScopeLimits.UNLIMITED.withStreams(10, 1, 10));
        Connection toB = a.dial(b);
        open(toB, PROTO_A);
        ResourceLimitException e = limitFailure(toB.newStream(List.of(PROTO_A)));
        assertThat(e.scope()).isEqualTo("app:" + APP_A);
        assertThat(e.limit()).isEqualTo("streams outbound");
        open(toB, PROTO_B);
        open(toB, PROTO_B);
        open(toB, SYSTEM_PROTO);
        assertThat(a.resources.usage(APP_A).streams()).isEqualTo(1);
        assertThat(a.resources.usage(APP_B).streams()).isEqualTo(2);
    }

    @Test
    void appConnectionLimitFromTheManifestCountsConnectionsWithAppStreams() throws Exception {
        a.resources.setAppLimits(APP_A, new AppLimits(0, 0, 0, 1));
        Connection toB = a.dial(b);
        Connection toC = a.dial(c);
        open(toB, PROTO_A);
        open(toB, PROTO_A);
        ResourceLimitException e = limitFailure(toC.newStream(List.of(PROTO_A)));
        assertThat(e.scope()).isEqualTo("app:" + APP_A);
        assertThat(e.limit()).isEqualTo("connections");
        assertThat(e.max()).isEqualTo(1);
        open(toC, PROTO_B);
        assertThat(a.resources.usage(APP_A).connections()).isEqualTo(1);
    }

    @Test
    void memoryLimitRefusesAStreamWhoseWindowWouldNotFit() throws Exception {
        a.resources.setDefaultLimits(ScopeKind.PEER, ScopeLimits.UNLIMITED.withMemory(2 * ResourceManager.STREAM_MEMORY));
        Connection toB = a.dial(b);
        open(toB, SYSTEM_PROTO);
        open(toB, SYSTEM_PROTO);
        ResourceLimitException e = limitFailure(toB.newStream(List.of(SYSTEM_PROTO)));
        assertThat(e.limit()).isEqualTo("memory");
        assertThat(e.current()).isEqualTo(2 * ResourceManager.STREAM_MEMORY);
        assertThat(e.getMessage()).contains(ResourceManager.STREAM_MEMORY + " more requested");
        open(a.dial(c), SYSTEM_PROTO);
    }

    @Test
    void systemConnectionLimitsRefuseDialsAndAcceptsButKeepOpenConnections() throws Exception {
        a.resources.setDefaultLimits(ScopeKind.SYSTEM, ScopeLimits.UNLIMITED.withConns(1, 1, 2));
        Connection toB = a.dial(b);
        ResourceLimitException e = limitFailure(a.host.dial(c.address()).thenApply(x -> (Object) x));
        assertThat(e.scope()).isEqualTo("system");
        assertThat(e.limit()).isEqualTo("connections outbound");

        Connection cToA = c.host.dial(a.address()).get(10, TimeUnit.SECONDS);
        assertThat(a.resources.systemScope().usage().connsInbound()).isEqualTo(1);
        // a second inbound connection is closed at accept
        Peer d = new Peer();
        try {
            assertThatThrownBy(() -> d.host.dial(a.address()).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        } finally {
            d.close();
        }
        open(toB, SYSTEM_PROTO);
        open(cToA, SYSTEM_PROTO);
    }

    @Test
    void everythingIsReleasedWhenStreamsAndConnectionsClose() throws Exception {
        Connection toB = a.dial(b);
        List<Stream> streams = new ArrayList<>();
        for (String proto : List.of(PROTO_A, PROTO_A, PROTO_B, SYSTEM_PROTO)) {
            streams.add(open(toB, proto));
        }
        assertThat(a.resources.systemScope().usage().streamsOutbound()).isEqualTo(4);
        assertThat(a.resources.systemScope().usage().memory()).isEqualTo(4 * ResourceManager.STREAM_MEMORY);
        await().atMost(WAIT).until(() -> b.resources.systemScope().usage().streamsInbound() == 4);
        assertThat(a.resources.usage(APP_A).streams()).isEqualTo(2);

        for (Stream s : streams) {
            s.reset();
        }
        await().atMost(WAIT).until(() -> a.resources.systemScope().usage().streams() == 0
                && b.resources.systemScope().usage().streams() == 0);
        assertThat(a.resources.systemScope().usage().memory()).isZero();
        assertThat(a.resources.usage(APP_A).streams()).isZero();
        assertThat(a.resources.usage(APP_A).connections()).isZero();
        assertThat(a.resources.systemScope().usage().conns()).isEqualTo(1);

        open(toB, PROTO_A).close();
        toB.close().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> a.resources.systemScope().usage().equals(ScopeUsage.NONE)
                && b.resources.systemScope().usage().equals(ScopeUsage.NONE));
        assertThat(a.resources.peerScope(b.host.peerId())).isEmpty();
        assertThat(b.resources.peerScope(a.host.peerId())).isEmpty();
    }

    private static Stream open(Connection connection, String protocol) throws Exception {
        return connection.newStream(List.of(protocol)).get(10, TimeUnit.SECONDS);
    }

    private static ResourceLimitException limitFailure(CompletableFuture<?> future) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> future.get(10, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ResourceLimitException.class);
        return (ResourceLimitException) t.getCause();
    }
}
