package io.omnipeer.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.node.NodeConfig;
import io.omnipeer.node.OverlayNode;
import io.omnipeer.protocol.control.JsonRpcMessage;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.store.Database;
import io.omnipeer.store.GrantStore;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A daemon for tests: a real {@link OverlayNode} on loopback TCP (no mDNS), its control socket, and one connected
 * client whose notifications queue up in {@link #notifications()}.
 */
record RunningDaemon(Database db, OverlayNode node, Daemon daemon, ControlClient client,
                     BlockingQueue<JsonRpcMessage.Notification> notifications) implements AutoCloseable {

    static RunningDaemon start(Path dataDir) throws Exception {
        DataDir.ensure(dataDir);
        Database db = Database.open(dataDir.resolve(DataDir.DATABASE));
        OverlayNode node = OverlayNode.start(new NodeConfig(dataDir, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")),
                List.of(), false, null, NodeConfig.DEFAULT_AGENT_VERSION), db);
        return withNewClient(db, node, Daemon.start(dataDir, node, new GrantStore(db)));
    }

    /** Connects this daemon to {@code other} with {@code peers.connect} on the control socket, as the CLI does. */
    void connectTo(RunningDaemon other) {
        JsonNode info = other.client().call(
                Methods.NODE_INFO, ControlParams.params());
        client.call(Methods.PEERS_CONNECT, ControlParams.params().put("multiaddr",
                info.get("listenAddrs").get(0).asText() + "/p2p/" + info.get("peerId").asText()));
    }

    /** Another client on the same daemon (e.g. after this one disconnected). */
    RunningDaemon reconnect() throws Exception {
        return withNewClient(db, node, daemon);
    }

    private static RunningDaemon withNewClient(Database db, OverlayNode node, Daemon daemon) throws Exception {
        ControlClient client = ControlClient.connect(daemon.socketFile());
        BlockingQueue<JsonRpcMessage.Notification> notifications = new LinkedBlockingQueue<>();
        client.onNotification(notifications::add);
        return new RunningDaemon(db, node, daemon, client, notifications);
    }

    @Override
    public void close() throws Exception {
        client.close();
        daemon.close();
        node.close().get(30, TimeUnit.SECONDS);
        db.close();
    }
}
