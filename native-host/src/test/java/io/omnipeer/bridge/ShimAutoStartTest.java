package io.omnipeer.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.control.DataDir;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.Methods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The browser starts the shim with no daemon running: the shim starts a real daemon, which outlives it. */
class ShimAutoStartTest {
    @TempDir
    Path dataDir;

    @Test
    void shimStartsADetachedDaemonThatSurvivesTheBrowser() throws Exception {
        Map<String, String> env = Map.of("OMNIPEER_LISTEN", "/ip4/127.0.0.1/tcp/0", "OMNIPEER_MDNS_INTERFACE", "lo");
        Optional<ProcessHandle> daemon = Optional.empty();
        try (ShimProcess shim = ShimProcess.start(dataDir, dataDir.resolve("shim.err"), env)) {
            shim.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"node.info\"}");
            JsonNode info = shim.receive();
            assertThat(info).as("reply; shim log: %s", Files.readString(dataDir.resolve("shim.err"))).isNotNull();
            assertThat(info.get("result").get("peerId").asText()).startsWith("12D3KooW");
            assertThat(info.get("result").get("listenAddrs").get(0).asText()).startsWith("/ip4/127.0.0.1/tcp/");
            long pid = Long.parseLong(Files.readString(dataDir.resolve(DataDir.LOCK)).trim());
            daemon = ProcessHandle.of(pid);
            assertThat(daemon).isPresent();

            shim.closeStdin();
            assertThat(shim.awaitExit()).isZero();
            assertThat(daemon.get().isAlive()).isTrue();
            try (ControlClient client = ControlClient.connect(DataDir.controlSocket(dataDir))) {
                assertThat(client.call(Methods.NODE_INFO, JsonRpcCodec.mapper().createObjectNode()).get("peerId").asText())
                        .isEqualTo(info.get("result").get("peerId").asText());
            }
            assertThat(Files.readString(dataDir.resolve(DataDir.LOG))).contains("control socket listening");
        } finally {
            daemon.ifPresent(ProcessHandle::destroy); // SIGTERM: the daemon shuts down cleanly
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(DataDir.controlSocket(dataDir)));
    }
}
