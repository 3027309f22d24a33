package io.omnipeer.control;

import static io.omnipeer.control.ControlParams.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.Stream;
import io.omnipeer.node.NodeConfig;
import io.omnipeer.node.OverlayNode;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.store.Database;
import io.omnipeer.store.GrantStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons on real OverlayNodes: an app's stream traffic shows in {@code apps.usage} on both sides, and a global
 * outbound limit set with {@code settings.set} paces real traffic (the live rate stays near it).
 */
class ResourceUsageIntegrationTest {
    private static final String APP = "org.example.a";
    private static final String SINK = "/omnipeer/app/" + APP + "/sink/1.0.0";
    private static final Duration WAIT = Duration.ofSeconds(30);

    record Running(Database db, OverlayNode node, Daemon daemon, ControlClient client) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            client.close();
            daemon.close();
            node.close().get(10, TimeUnit.SECONDS);
            db.close();
        }
    }

    @TempDir
    Path tmp;
    private final List<Running> running = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (Running r : running) {
            r.close();
        }
    }

    private Running start(String name) throws Exception {
        Path dataDir = DataDir.ensure(tmp.resolve(name));
        Database db = Database.open(dataDir.resolve(DataDir.DATABASE));
        OverlayNode node = OverlayNode.start(new NodeConfig(dataDir, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                List.of(), false, null, NodeConfig.DEFAULT_AGENT_VERSION), db);
        Daemon daemon = Daemon.start(dataDir, node, new GrantStore(db));
        Running r = new Running(db, node, daemon, ControlClient.connect(daemon.socketFile()));
        running.add(r);
        return r;
    }

    private static JsonNode usage(Running r) {
        return r.client().call(Methods.APPS_USAGE, params().put("id", APP)).path("apps").get(0);
    }

    @Test
    void appTrafficShowsInUsageAndTheGlobalLimitPacesIt() throws Exception {
        Running a = start("a");
        Running b = start("b");
        AtomicLong received = new AtomicLong();
        b.node().host().setStreamHandler(SINK, s -> s.channel().pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.addAndGet(((ByteBuf) msg).readableBytes());
                ((ByteBuf) msg).release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt == ChannelInputShutdownEvent.INSTANCE) {
                    s.close();
                }
            }
        }));
        String addr = b.node().listenAddresses().getFirst().withPeerId(b.node().peerId()).toString();
        a.client().call(Methods.PEERS_CONNECT, params().put("multiaddr", addr));

        Stream first = a.node().host().newStream(b.node().peerId(), SINK).get(10, TimeUnit.SECONDS);
        first.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[1 << 20])).sync();
        await().atMost(WAIT).until(() -> received.get() == 1 << 20);
        assertThat(usage(a).path("bytesOut").asLong()).isEqualTo(1 << 20);
        assertThat(usage(a).path("streams").asInt()).isEqualTo(1);
        assertThat(usage(a).path("connections").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> usage(b).path("bytesIn").asLong() == 1 << 20);
        first.close().sync();
        await().atMost(WAIT).until(() -> usage(a).path("streams").asInt() == 0 && usage(b).path("streams").asInt() == 0);

        ObjectNode set = params();
        set.putObject("settings").put("bandwidthOutKiBps", 256);
        a.client().call(Methods.SETTINGS_SET, set);
        Stream paced = a.node().host().newStream(b.node().peerId(), SINK).get(10, TimeUnit.SECONDS);
        long before = received.get();
        paced.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[1 << 20]));
        // after the 2 s window of the meter has filled with paced traffic, the live rate is the limit's
        await().atMost(WAIT).until(() -> received.get() - before >= 640 * 1024);
        double liveKiBps = usage(a).path("outBps").asDouble() / 1024;
        assertThat(liveKiBps).isBetween(256 * 0.7, 256 * 1.3);
        assertThat(a.client().call(Methods.SETTINGS_GET, params()).path("settings").path("bandwidthOutKiBps").asLong())
                .isEqualTo(256);
        paced.reset();
    }
}
