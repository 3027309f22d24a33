package io.omnipeer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnipeer.control.Daemon;
import io.omnipeer.control.DataDir;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.node.NodeConfig;
import io.omnipeer.node.OverlayNode;
import io.omnipeer.store.Database;
import io.omnipeer.store.GrantStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code omnipeer dht ...} and {@code omnipeer connect PEER_ID} against two real daemons on loopback. */
class DhtCliTest {
    @TempDir
    Path tmp;
    private final List<Object[]> running = new ArrayList<>();
    private OverlayNode hub;
    private OverlayNode other;

    @BeforeEach
    void start() throws Exception {
        hub = startNode("hub");
        other = startNode("other");
        other.connect(hub.listenAddresses().getFirst().withPeerId(hub.peerId())).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.dht().routingTable().contains(other.peerId())
                && other.dht().routingTable().contains(hub.peerId()));
    }

    private OverlayNode startNode(String name) throws Exception {
        Path dir = tmp.resolve(name);
        DataDir.ensure(dir);
        Database db = Database.open(dir.resolve(DataDir.DATABASE));
        OverlayNode node = OverlayNode.start(new NodeConfig(dir, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                List.of(), false, null, NodeConfig.DEFAULT_AGENT_VERSION), db);
        Daemon daemon = Daemon.start(dir, node, new GrantStore(db));
        running.add(new Object[] {db, node, daemon});
        return node;
    }

    @AfterEach
    void stop() throws Exception {
        for (Object[] r : running) {
            ((Daemon) r[2]).close();
            ((OverlayNode) r[1]).close().get(10, TimeUnit.SECONDS);
            ((Database) r[0]).close();
        }
    }

    private CliRun run(String node, String... args) {
        return CliRun.in(tmp.resolve(node), args);
    }

    @Test
    void putGetProvideFindProvidersFindPeer() {
        assertThat(run("other", "dht", "put", "/omnipeer/app/cli/motd", "hello dht").out()).isEqualTo("stored on 1 peers\n");
        CliRun get = run("hub", "dht", "get", "/omnipeer/app/cli/motd");
        assertThat(get.out()).isEqualTo("hello dht\n");
        assertThat(get.err()).contains("written by " + other.peerId());
        assertThat(run("hub", "dht", "get", "/omnipeer/app/cli/none").exit()).isEqualTo(1);

        assertThat(run("other", "dht", "provide", "--text", "my file").out()).startsWith("providing Qm");
        assertThat(run("hub", "dht", "find-providers", "--text", "my file").out())
                .startsWith(other.peerId() + " " + other.listenAddresses().getFirst());
        assertThat(run("hub", "dht", "find-peer", other.peerId().toBase58()).out())
                .contains(other.listenAddresses().getFirst().toString());
        assertThat(run("hub", "dht").exit()).isEqualTo(2);
    }

    @Test
    void connectByPeerId() throws Exception {
        hub.host().connection(other.peerId()).orElseThrow().close().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.host().connection(other.peerId()).isEmpty());
        assertThat(run("hub", "connect", other.peerId().toBase58()).out()).isEqualTo("connected to " + other.peerId() + "\n");
    }
}
