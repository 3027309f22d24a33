package io.omnipeer.control;

import static io.omnipeer.control.ControlParams.params;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.node.OverlayNode;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two daemons, each a real {@link OverlayNode} on loopback TCP, driven only through their control sockets. */
class DaemonIntegrationTest {
    private static final String PAGE = "https://chat.example";

    @TempDir
    Path tmp;
    private final List<RunningDaemon> running = new ArrayList<>();

    @BeforeEach
    void startTwo() throws Exception {
        running.add(RunningDaemon.start(tmp.resolve("a")));
        running.add(RunningDaemon.start(tmp.resolve("b")));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (RunningDaemon r : running) {
            r.close();
        }
    }

    private static JsonRpcMessage.Notification next(RunningDaemon r, String method) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonRpcMessage.Notification n = r.notifications().poll(20, TimeUnit.SECONDS);
            assertThat(n).as(method).isNotNull();
            if (n.method().equals(method)) {
                return n;
            }
        }
        throw new AssertionError("no " + method);
    }

    @Test
    void connectPingAndGrantedPubsubAcrossTwoRealNodes() throws Exception {
        RunningDaemon a = running.get(0);
        RunningDaemon b = running.get(1);
        JsonNode infoB = b.client().call(Methods.NODE_INFO, params());
        String addrB = infoB.get("listenAddrs").get(0).asText() + "/p2p/" + infoB.get("peerId").asText();

        JsonNode connected = a.client().call(Methods.PEERS_CONNECT, params().put("multiaddr", addrB));
        assertThat(connected.get("peerId").asText()).isEqualTo(infoB.get("peerId").asText());
        assertThat(next(b, Methods.PEERS_CHANGED).params().get("connectedPeers").asInt()).isEqualTo(1);
        assertThat(a.client().call(Methods.PEERS_PING, params().put("peerId", infoB.get("peerId").asText()))
                .get("rttMs").asDouble()).isPositive();

        // a page on B may only use what the user granted
        assertThatThrownBy(() -> b.client().call(Methods.PUBSUB_SUBSCRIBE, params().put("origin", PAGE).put("topic", "chat")))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHORIZED));
        b.client().call(Methods.GRANTS_ADD, params().put("origin", PAGE)
                .set("capabilities", JsonRpcCodec.mapper().createArrayNode().add("pubsub:chat")));
        String subscription = b.client().call(Methods.PUBSUB_SUBSCRIBE, params().put("origin", PAGE).put("topic", "chat"))
                .get("subscription").asText();
        a.client().call(Methods.PUBSUB_SUBSCRIBE, params().put("topic", "chat"));

        // floodsub learns B's subscription asynchronously: publish until one arrives (bounded)
        JsonRpcMessage.Notification message = null;
        String data = Base64.getEncoder().encodeToString("hello from A".getBytes(StandardCharsets.UTF_8));
        for (int attempt = 0; attempt < 50 && message == null; attempt++) {
            a.client().call(Methods.PUBSUB_PUBLISH, params().put("topic", "chat").put("data", data));
            JsonRpcMessage.Notification n = b.notifications().poll(200, TimeUnit.MILLISECONDS);
            while (n != null && !n.method().equals(Methods.PUBSUB_MESSAGE)) {
                n = b.notifications().poll(200, TimeUnit.MILLISECONDS);
            }
            message = n;
        }
        assertThat(message).as("pubsub.message on B").isNotNull();
        assertThat(message.params().get("subscription").asText()).isEqualTo(subscription);
        assertThat(message.params().get("from").asText()).isEqualTo(a.node().peerId().toBase58());
        assertThat(message.params().get("data").asText()).isEqualTo(data);

        b.client().call(Methods.GRANTS_REVOKE, params().put("origin", PAGE));
        assertThat(next(b, Methods.GRANTS_CHANGED).params().get("origin").asText()).isEqualTo(PAGE);
        assertThatThrownBy(() -> b.client().call(Methods.PUBSUB_UNSUBSCRIBE, params().put("origin", PAGE)
                .put("subscription", subscription))).isInstanceOf(RpcException.class); // already closed by the revoke
    }
}
