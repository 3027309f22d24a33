package io.omnipeer.e2e.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.e2e.browser.DaemonProcess;
import io.omnipeer.protocol.control.Methods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** kill -9 a daemon process and start it again: same peer ID, grants intact, reconnected to its peers. */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void killedDaemonComesBackWithItsIdentityGrantsAndPeers() throws Exception {
        try (DaemonProcess b = DaemonProcess.start(dir.resolve("b"));
             DaemonProcess a = DaemonProcess.start(dir.resolve("a"))) {
            String idA = a.peerId();
            a.call(Methods.PEERS_CONNECT, params().put("multiaddr", b.dialAddress()));
            ObjectNode grant = params().put("origin", "https://chat.example");
            grant.putArray("capabilities").add("pubsub:chat");
            a.call(Methods.GRANTS_ADD, grant);
            await().atMost(Duration.ofSeconds(20)).until(() -> peerIds(b).contains(idA));
            // The peerstore is flushed to SQLite once a second; let two flushes pass after identify.
            Thread.sleep(2_500);

            a.kill();
            await().atMost(Duration.ofSeconds(20)).until(() -> !peerIds(b).contains(idA));

            a.startAgain();
            assertThat(a.peerId()).isEqualTo(idA);
            assertThat(a.call(Methods.GRANTS_LIST, params()).path("grants"))
                    .anySatisfy(g -> {
                        assertThat(g.path("origin").asText()).isEqualTo("https://chat.example");
                        assertThat(g.path("capability").asText()).isEqualTo("pubsub:chat");
                    });
            await().atMost(Duration.ofSeconds(30)).until(() -> peerIds(b).contains(idA) && peerIds(a).contains(b.peerId()));
        }
    }

    private static ObjectNode params() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static List<String> peerIds(DaemonProcess daemon) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode peer : daemon.call(Methods.PEERS_LIST, params()).path("peers")) {
            out.add(peer.path("peerId").asText());
        }
        return out;
    }
}
