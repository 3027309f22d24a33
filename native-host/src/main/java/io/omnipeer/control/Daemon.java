package io.omnipeer.control;

import io.omnipeer.core.PeerId;
import io.omnipeer.node.Node;
import io.omnipeer.node.PeerListener;
import io.omnipeer.protocol.control.Capability;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.store.GrantStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The daemon runtime between the control socket and a {@link Node}: serves {@code <data-dir>/control.sock},
 * enforces grants, and pushes {@code grants.changed} and {@code peers.changed} to every client.
 * When an origin's grants change, its subscriptions that are no longer granted close at once, before
 * {@code grants.changed} is sent.
 *
 * <p>The caller owns the {@link DataDirLock}, the {@link GrantStore}'s database and the node's life;
 * {@link #close()} stops the socket only. Thread-safe.
 */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final Node node;
    private final GrantStore grants;
    private final ControlServer server;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private Daemon(Node node, GrantStore grants, ControlServer server) {
        this.node = node;
        this.grants = grants;
        this.server = server;
    }

    /**
     * Starts serving the control socket of {@code dataDir} for {@code node}.
     *
     * @throws IOException if the socket cannot be bound
     */
    public static Daemon start(Path dataDir, Node node, GrantStore grants) throws IOException {
        DataDir.ensure(dataDir);
        RequestDispatcher dispatcher = new RequestDispatcher(node, grants, dataDir);
        ControlServer server = ControlServer.start(DataDir.controlSocket(dataDir), dispatcher);
        Daemon daemon = new Daemon(node, grants, server);
        dispatcher.apps().addListener(id -> server.broadcast(new JsonRpcMessage.Notification(Methods.APPS_CHANGED,
                JsonRpcCodec.mapper().createObjectNode().put("id", id))));
        grants.addListener(daemon::onGrantsChanged);
        node.addPeerListener(new PeerListener() {
            @Override
            public void onPeerConnected(PeerId peer) {
                daemon.onPeersChanged();
            }

            @Override
            public void onPeerDisconnected(PeerId peer) {
                daemon.onPeersChanged();
            }
        });
        return daemon;
    }

    private void onGrantsChanged(String origin) {
        for (ClientSession session : server.sessions()) {
            var closed = session.closeSubscriptions(s -> origin.equals(s.origin())
                    && !grants.isGranted(origin, Capability.pubsub(s.topic()).toString()));
            if (!closed.isEmpty()) {
                log.info("closed {} subscription(s) of {} after its grants changed", closed.size(), origin);
            }
            StreamBridge streams = session.streamsIfAny();
            if (streams != null) {
                int closedStreams = streams.closeWhere((o, protocol) -> origin.equals(o)
                        && !grants.isGranted(origin, Capability.stream(protocol).toString()), "permission revoked");
                if (closedStreams > 0) {
                    log.info("closed {} stream(s)/handler(s) of {} after its grants changed", closedStreams, origin);
                }
            }
        }
        server.broadcast(new JsonRpcMessage.Notification(Methods.GRANTS_CHANGED,
                JsonRpcCodec.mapper().createObjectNode().put("origin", origin)));
    }

    private void onPeersChanged() {
        server.broadcast(new JsonRpcMessage.Notification(Methods.PEERS_CHANGED,
                JsonRpcCodec.mapper().createObjectNode().put("connectedPeers", node.connectedPeers().size())));
    }

    public Path socketFile() {
        return server.socketFile();
    }

    public Node node() {
        return node;
    }

    /** Blocks until {@link #close()} ran. */
    public void awaitClose() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() {
        server.close();
        stopped.countDown();
    }
}
