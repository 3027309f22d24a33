package io.omnipeer.control;

import static io.omnipeer.control.ControlParams.params;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.protocol.control.ControlFrames;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcException;
import io.omnipeer.store.Database;
import io.omnipeer.store.GrantStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ControlServerTest {
    private static final String PAGE = "https://chat.example";

    @TempDir
    Path dataDir;
    private Database db;
    private GrantStore grants;
    private TestNode node;
    private Daemon daemon;
    private ControlClient cli;
    private final BlockingQueue<JsonRpcMessage.Notification> notifications = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        db = Database.open(dataDir.resolve(DataDir.DATABASE));
        grants = new GrantStore(db);
        node = new TestNode();
        daemon = Daemon.start(dataDir, node, grants);
        cli = ControlClient.connect(daemon.socketFile());
        cli.onNotification(notifications::add);
        // The server registers a client on its accept thread; one answered call proves it will get broadcasts.
        cli.call(Methods.NODE_INFO, params());
    }

    @AfterEach
    void stop() {
        cli.close();
        daemon.close();
        db.close();
    }

    private static ObjectNode page() {
        return params().put("origin", PAGE);
    }

    private JsonRpcMessage.Notification nextNotification(String method) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonRpcMessage.Notification n = notifications.poll(10, TimeUnit.SECONDS);
            assertThat(n).as("notification " + method).isNotNull();
            if (n.method().equals(method)) {
                return n;
            }
        }
        throw new AssertionError("no " + method);
    }

    private static int codeOf(Runnable call) {
        try {
            call.run();
        } catch (RpcException e) {
            return e.code();
        }
        throw new AssertionError("expected an error response");
    }

    @Test
    void socketIsOwnerOnlyAndNodeInfoRoundTrips() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socketFile()))).isEqualTo("rw-------");
        JsonNode info = cli.call(Methods.NODE_INFO, params());
        assertThat(info.get("peerId").asText()).isEqualTo(node.peerId().toBase58());
        assertThat(info.get("listenAddrs").get(0).asText()).isEqualTo("/ip4/127.0.0.1/tcp/4001");
        assertThat(info.get("connectedPeers").asInt()).isZero();
        assertThat(info.get("agentVersion").asText()).isEqualTo("omnipeer-test/0");

        int rounds = 2000;
        long start = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            cli.call(Methods.NODE_INFO, params());
        }
        System.out.printf("control round trip (node.info over the Unix socket): %.3f ms mean over %d calls%n",
                (System.nanoTime() - start) / 1e6 / rounds, rounds);
    }

    @Test
    void peersConnectPingAndListFromTheCli() throws Exception {
        PeerId remote = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        JsonNode connected = cli.call(Methods.PEERS_CONNECT, params().put("multiaddr", "/ip4/127.0.0.1/tcp/4002/p2p/" + remote));
        assertThat(connected.get("peerId").asText()).isEqualTo(remote.toBase58());
        assertThat(nextNotification(Methods.PEERS_CHANGED).params().get("connectedPeers").asInt()).isEqualTo(1);
        assertThat(cli.call(Methods.PEERS_PING, params().put("peerId", remote.toBase58())).get("rttMs").asDouble()).isEqualTo(3.0);
        JsonNode peer = cli.call(Methods.PEERS_LIST, params()).get("peers").get(0);
        assertThat(peer.get("peerId").asText()).isEqualTo(remote.toBase58());
        assertThat(peer.get("addrs").get(0).asText()).isEqualTo("/ip4/127.0.0.1/tcp/4002");
        assertThat(peer.get("protocols").get(0).asText()).isEqualTo("/ipfs/ping/1.0.0");
        // node failures arrive as structured one-line errors
        assertThatThrownBy(() -> cli.call(Methods.PEERS_CONNECT, params().put("multiaddr", "/ip4/127.0.0.1/tcp/1")))
                .isInstanceOfSatisfying(RpcException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.INTERNAL_ERROR);
                    assertThat(e.getMessage()).isEqualTo("peers.connect failed: Connection refused");
                });
    }

    @Test
    void pageWithoutGrantIsUnauthorized() {
        assertThat(codeOf(() -> cli.call(Methods.NODE_INFO, page()))).isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(codeOf(() -> cli.call(Methods.PEERS_LIST, page()))).isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(codeOf(() -> cli.call(Methods.PUBSUB_SUBSCRIBE, page().put("topic", "chat")))).isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(codeOf(() -> cli.call(Methods.PUBSUB_PUBLISH, page().put("topic", "chat").put("data", "aGk="))))
                .isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(cli.call(Methods.GRANTS_LIST, page()).get("grants")).isEmpty();
        // a malformed origin is refused, never mistaken for a privileged request without origin
        assertThat(codeOf(() -> cli.call(Methods.PEERS_CONNECT, params().put("origin", 42).put("multiaddr", "/ip4/127.0.0.1/tcp/1"))))
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(codeOf(() -> cli.call(Methods.GRANTS_LIST, params().put("origin", "")))).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(codeOf(() -> cli.call(Methods.NODE_INFO, params().putNull("origin")))).isEqualTo(ErrorCodes.INVALID_PARAMS);
    }

    @Test
    void pageMayNotCallPrivilegedMethodsEvenWithGrants() {
        grants.add(PAGE, List.of("pubsub:chat", "peers:read"));
        assertThat(codeOf(() -> cli.call(Methods.PEERS_CONNECT, page().put("multiaddr", "/ip4/127.0.0.1/tcp/4002"))))
                .isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(codeOf(() -> cli.call(Methods.PEERS_PING, page().put("peerId", node.peerId().toBase58()))))
                .isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(cli.call(Methods.NODE_INFO, page()).get("peerId").asText()).isEqualTo(node.peerId().toBase58());
    }

    @Test
    void peersListNeedsPeersReadAndNotificationsNeedTheirGrantAndARate() {
        grants.add(PAGE, List.of("pubsub:chat"));
        assertThat(codeOf(() -> cli.call(Methods.PEERS_LIST, page()))).as("any grant is not peers:read")
                .isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(codeOf(() -> cli.call(Methods.NOTIFICATIONS_SHOW, page().put("title", "hi"))))
                .isEqualTo(ErrorCodes.UNAUTHORIZED);
        grants.add(PAGE, List.of("peers:read", "notifications"));
        assertThat(cli.call(Methods.PEERS_LIST, page()).get("peers").isArray()).isTrue();

        assertThat(codeOf(() -> cli.call(Methods.NOTIFICATIONS_SHOW, page()))).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(codeOf(() -> cli.call(Methods.NOTIFICATIONS_SHOW, page().put("title", "x".repeat(129)))))
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(codeOf(() -> cli.call(Methods.NOTIFICATIONS_SHOW, page().put("title", "a\u0007b"))))
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
        for (int i = 0; i < NotificationRequests.MAX_PER_WINDOW; i++) {
            cli.call(Methods.NOTIFICATIONS_SHOW, page().put("title", "new message " + i).put("body", "line 1\nline 2"));
        }
        RpcException limited = catchThrowableOfType(RpcException.class,
                () -> cli.call(Methods.NOTIFICATIONS_SHOW, page().put("title", "one too many")));
        assertThat(limited.code()).isEqualTo(ErrorCodes.RESOURCE_LIMIT);
        assertThat(limited.getMessage()).contains("at most " + NotificationRequests.MAX_PER_WINDOW);
        // the CLI is not counted against any page
        cli.call(Methods.NOTIFICATIONS_SHOW, params().put("title", "from the CLI"));
    }

    @Test
    void grantedTopicDeliversAndRevokeClosesTheSubscription() throws Exception {
        JsonNode added = cli.call(Methods.GRANTS_ADD, params().put("origin", PAGE)
                .set("capabilities", JsonRpcCodec.mapper().createArrayNode().add("pubsub:chat")));
        assertThat(added.get("grants").get(0).get("capability").asText()).isEqualTo("pubsub:chat");
        assertThat(nextNotification(Methods.GRANTS_CHANGED).params().get("origin").asText()).isEqualTo(PAGE);

        String subscription = cli.call(Methods.PUBSUB_SUBSCRIBE, page().put("topic", "chat")).get("subscription").asText();
        assertThat(codeOf(() -> cli.call(Methods.PUBSUB_SUBSCRIBE, page().put("topic", "chat2")))).isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(codeOf(() -> cli.call(Methods.PUBSUB_PUBLISH, page().put("topic", "other").put("data", "aGk="))))
                .isEqualTo(ErrorCodes.UNAUTHORIZED);

        cli.call(Methods.PUBSUB_PUBLISH, page().put("topic", "chat").put("data", Base64.getEncoder().encodeToString("hi".getBytes())));
        JsonNode message = nextNotification(Methods.PUBSUB_MESSAGE).params();
        assertThat(message.get("subscription").asText()).isEqualTo(subscription);
        assertThat(message.get("topic").asText()).isEqualTo("chat");
        assertThat(message.get("from").asText()).isEqualTo(node.peerId().toBase58());
        assertThat(Base64.getDecoder().decode(message.get("data").asText())).isEqualTo("hi".getBytes());
        assertThat(Base64.getDecoder().decode(message.get("seqno").asText())).hasSize(8);

        assertThat(cli.call(Methods.GRANTS_REVOKE, params().put("origin", PAGE).put("capability", "pubsub:chat"))
                .get("revoked").asInt()).isEqualTo(1);
        // the subscription is gone from the node by the time grants.changed arrives
        assertThat(nextNotification(Methods.GRANTS_CHANGED).params().get("origin").asText()).isEqualTo(PAGE);
        assertThat(node.subscribers("chat")).isZero();
        assertThat(codeOf(() -> cli.call(Methods.PUBSUB_SUBSCRIBE, page().put("topic", "chat")))).isEqualTo(ErrorCodes.UNAUTHORIZED);
    }

    @Test
    void revokeFromAnotherConnectionClosesThePagesSubscriptionAndTellsIt() throws Exception {
        grants.add(PAGE, List.of("pubsub:chat", "peers:read"));
        try (ControlClient browser = ControlClient.connect(daemon.socketFile())) {
            BlockingQueue<JsonRpcMessage.Notification> browserEvents = new LinkedBlockingQueue<>();
            browser.onNotification(browserEvents::add);
            browser.call(Methods.PUBSUB_SUBSCRIBE, page().put("topic", "chat"));
            assertThat(node.subscribers("chat")).isEqualTo(1);

            cli.call(Methods.GRANTS_REVOKE, params().put("origin", PAGE).put("capability", "pubsub:chat"));
            JsonRpcMessage.Notification changed = browserEvents.poll(10, TimeUnit.SECONDS);
            assertThat(changed).isNotNull();
            assertThat(changed.method()).isEqualTo(Methods.GRANTS_CHANGED);
            assertThat(node.subscribers("chat")).isZero();
            // the origin keeps its other grant
            assertThat(browser.call(Methods.NODE_INFO, page()).has("peerId")).isTrue();
        }
    }

    @Test
    void cliSubscriptionsSurviveOtherOriginsRevocations() throws Exception {
        cli.call(Methods.PUBSUB_SUBSCRIBE, params().put("topic", "chat"));
        grants.add(PAGE, List.of("pubsub:chat"));
        grants.revoke(PAGE, null);
        assertThat(node.subscribers("chat")).isEqualTo(1);
        String sub = cli.call(Methods.PUBSUB_SUBSCRIBE, params().put("topic", "news")).get("subscription").asText();
        cli.call(Methods.PUBSUB_UNSUBSCRIBE, params().put("subscription", sub));
        assertThat(node.subscribers("news")).isZero();
        assertThat(codeOf(() -> cli.call(Methods.PUBSUB_UNSUBSCRIBE, params().put("subscription", sub))))
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
    }

    @Test
    void badRequestsGetStructuredErrorsAndTheConnectionStays() throws Exception {
        assertThat(codeOf(() -> cli.call("node.shutdown", params()))).isEqualTo(ErrorCodes.UNSUPPORTED_METHOD);
        assertThat(codeOf(() -> cli.call(Methods.PUBSUB_SUBSCRIBE, params()))).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(codeOf(() -> cli.call(Methods.PUBSUB_PUBLISH, params().put("topic", "t").put("data", "%%"))))
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(codeOf(() -> cli.call(Methods.GRANTS_ADD, params().put("origin", PAGE)
                .set("capabilities", JsonRpcCodec.mapper().createArrayNode().add("bogus:everything"))))).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(codeOf(() -> cli.call(Methods.PEERS_PING, params().put("peerId", "not-a-peer")))).isEqualTo(ErrorCodes.INVALID_PARAMS);

        try (SocketChannel raw = UnixSockets.connect(daemon.socketFile())) {
            UnixSockets.out(raw).write(ControlFrames.encode("{\"jsonrpc\":\"2.0\",\"id\":1,".getBytes(StandardCharsets.UTF_8)));
            JsonNode reply = JsonRpcCodec.mapper().readTree(ControlFrames.read(UnixSockets.in(raw)));
            assertThat(reply.get("error").get("code").asInt()).isEqualTo(ErrorCodes.PARSE_ERROR);
            assertThat(reply.get("error").get("message").asText()).doesNotContain("Exception").doesNotContain("\n");
            UnixSockets.out(raw).write(ControlFrames.encode("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"node.info\"}"
                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(JsonRpcCodec.mapper().readTree(ControlFrames.read(UnixSockets.in(raw))).has("result")).isTrue();
        }
    }

    @Test
    void oversizedFrameClosesOnlyThatConnection() throws Exception {
        try (SocketChannel raw = UnixSockets.connect(daemon.socketFile())) {
            raw.write(ByteBuffer.wrap(new byte[]{0x7f, 0, 0, 0}));
            assertThat(UnixSockets.in(raw).read(new byte[16])).isEqualTo(-1);
        }
        assertThat(cli.call(Methods.NODE_INFO, params()).has("peerId")).isTrue();
    }

    @Test
    void subscriptionCountIsBounded() {
        for (int i = 0; i < ClientSession.MAX_SUBSCRIPTIONS; i++) {
            cli.call(Methods.PUBSUB_SUBSCRIBE, params().put("topic", "t" + i));
        }
        assertThat(codeOf(() -> cli.call(Methods.PUBSUB_SUBSCRIBE, params().put("topic", "one-more"))))
                .isEqualTo(ErrorCodes.RESOURCE_LIMIT);
    }

    @Test
    void clientThatStopsReadingIsDisconnected() throws Exception {
        try (SocketChannel slow = UnixSockets.connect(daemon.socketFile())) {
            UnixSockets.out(slow).write(ControlFrames.encode(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"pubsub.subscribe\",\"params\":{\"topic\":\"flood\"}}"
                            .getBytes(StandardCharsets.UTF_8)));
            await().atMost(Duration.ofSeconds(10)).until(() -> node.subscribers("flood") == 1);
            byte[] payload = new byte[1024];
            for (int i = 0; i < ClientSession.MAX_QUEUED_MESSAGES * 2 && node.subscribers("flood") > 0; i++) {
                node.publish("flood", payload);
            }
            // the daemon gave up on the client: its subscription closed and the socket reaches end of stream
            await().atMost(Duration.ofSeconds(10)).until(() -> node.subscribers("flood") == 0);
            InputStream in = UnixSockets.in(slow);
            await().atMost(Duration.ofSeconds(30)).until(() -> in.read(new byte[65536]) < 0);
        }
        assertThat(cli.call(Methods.NODE_INFO, params()).has("peerId")).isTrue();
    }

    @Test
    void staleSocketFileIsReplaced() throws Exception {
        Path other = Files.createDirectory(dataDir.resolve("other"));
        Files.writeString(DataDir.controlSocket(other), "left over by a crashed daemon");
        try (Daemon second = Daemon.start(other, new TestNode(), grants);
             ControlClient client = ControlClient.connect(second.socketFile())) {
            assertThat(client.call(Methods.NODE_INFO, params()).has("peerId")).isTrue();
        }
        assertThat(DataDir.controlSocket(other)).doesNotExist();
        assertThatThrownBy(() -> ControlClient.connect(DataDir.controlSocket(other)))
                .isInstanceOf(DaemonUnreachableException.class).hasMessageContaining("daemon not running at");
    }

    @Test
    void dataDirLockAllowsOneDaemon() throws Exception {
        try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
            assertThatThrownBy(() -> DataDirLock.acquire(dataDir)).hasMessageContaining("already running");
        }
        DataDirLock.acquire(dataDir).close();
    }

    @Test
    void peersChangedIsPushedToEveryClient() throws Exception {
        PeerId remote = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        node.addPeer(remote, Multiaddr.parse("/ip4/127.0.0.1/tcp/4005"));
        assertThat(nextNotification(Methods.PEERS_CHANGED).params().get("connectedPeers").asInt()).isEqualTo(1);
    }
}
