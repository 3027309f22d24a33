package io.omnipeer.e2e.daemon;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.protocol.control.Methods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.omnipeer.e2e.daemon.DaemonProcess.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** kill -9 a daemon and start it again: same peer ID, grants intact, reconnected to its peers. */
class RestartTest {
    @TempDir
    Path dir;

    @Test
    void killedDaemonComesBackWithItsIdentityGrantsAndPeers() throws Exception {
        try (DaemonProcess b = DaemonProcess.start(dir.resolve("b"))) {
            DaemonProcess a = DaemonProcess.start(dir.resolve("a"));
            String idA = a.peerId();
            a.call(Methods.PEERS_CONNECT, params("multiaddr", b.dialableAddress()));
            ObjectNode grant = params("origin", "https://chat.example");
            ArrayNode caps = grant.putArray("capabilities");
            caps.add("pubsub:chat");
            a.call(Methods.GRANTS_ADD, grant);
            await().atMost(Duration.ofSeconds(20)).until(() -> b.connectedPeerIds().contains(idA));
            // The peerstore is flushed to SQLite once a second; give it two flushes after identify.
            Thread.sleep(2_500);

            a.kill();
            await().atMost(Duration.ofSeconds(20)).until(() -> !b.connectedPeerIds().contains(idA));

            try (DaemonProcess again = DaemonProcess.start(dir.resolve("a"))) {
                assertThat(again.peerId()).isEqualTo(idA);
                assertThat(again.call(Methods.GRANTS_LIST, params("origin", "https://chat.example")).path("grants"))
                        .anySatisfy(g -> assertThat(g.path("capability").asText()).isEqualTo("pubsub:chat"));
                await().atMost(Duration.ofSeconds(30)).until(() -> b.connectedPeerIds().contains(idA));
            }
        }
    }
}
