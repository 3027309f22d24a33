package io.omnipeer.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.control.Daemon;
import io.omnipeer.control.DataDir;
import io.omnipeer.control.TestNodes;
import io.omnipeer.node.Node;
import io.omnipeer.protocol.control.ChunkReassembler;
import io.omnipeer.protocol.control.ControlFrames;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.NativeMessagingFrames;
import io.omnipeer.store.Database;
import io.omnipeer.store.GrantStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class NativeMessagingShimTest {
    @TempDir
    Path dataDir;
    private Database db;
    private Node node;
    private Daemon daemon;

    @BeforeEach
    void start() throws Exception {
        db = Database.open(dataDir.resolve(DataDir.DATABASE));
        node = TestNodes.create();
        daemon = Daemon.start(dataDir, node, new GrantStore(db));
    }

    @AfterEach
    void stop() {
        daemon.close();
        db.close();
    }

    @Test
    void relaysBothWaysChunksLargeMessagesAndExitsWhenTheBrowserCloses() throws Exception {
        Path stderr = dataDir.resolve("shim.err");
        try (ShimProcess shim = ShimProcess.start(dataDir, stderr)) {
            shim.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"node.info\",\"params\":{}}");
            JsonNode info = shim.receive();
            assertThat(info.get("id").asInt()).isEqualTo(1);
            assertThat(info.get("result").get("peerId").asText()).isEqualTo(node.peerId().toBase58());

            shim.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"pubsub.subscribe\",\"params\":{\"topic\":\"big\"}}");
            assertThat(shim.receive().get("result").get("subscription").asText()).isNotEmpty();

            byte[] payload = new byte[1024 * 1024];
            new Random(7).nextBytes(payload);
            String data = Base64.getEncoder().encodeToString(payload); // ~1.4 MB: the notification must be chunked
            shim.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"pubsub.publish\",\"params\":{\"topic\":\"big\",\"data\":\"" + data + "\"}}");

            ChunkReassembler reassembler = new ChunkReassembler();
            JsonNode notification = null;
            JsonNode published = null;
            int chunks = 0;
            for (int frames = 0; frames < 20 && (notification == null || published == null); frames++) {
                byte[] frame = shim.receiveFrame();
                assertThat(frame).isNotNull();
                assertThat(frame.length).isLessThanOrEqualTo(NativeMessagingFrames.MAX_HOST_TO_BROWSER_BYTES);
                if (JsonRpcCodec.mapper().readTree(frame).has("chunk")) {
                    chunks++;
                }
                Optional<byte[]> whole = reassembler.accept(frame);
                if (whole.isPresent()) {
                    JsonNode message = JsonRpcCodec.mapper().readTree(whole.get());
                    if (Methods.PUBSUB_MESSAGE.equals(message.path("method").asText())) {
                        notification = message;
                    } else if (message.path("id").asInt() == 3) {
                        published = message;
                    }
                }
            }
            assertThat(chunks).isGreaterThanOrEqualTo(2);
            assertThat(published.has("result")).isTrue();
            assertThat(Base64.getDecoder().decode(notification.get("params").get("data").asText())).isEqualTo(payload);

            int rounds = 500;
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                shim.send("{\"jsonrpc\":\"2.0\",\"id\":" + (100 + i) + ",\"method\":\"node.info\"}");
                assertThat(shim.receive().get("id").asInt()).isEqualTo(100 + i);
            }
            System.out.printf("browser round trip through the shim process (node.info): %.3f ms mean over %d calls%n",
                    (System.nanoTime() - start) / 1e6 / rounds, rounds);

            shim.closeStdin();
            assertThat(shim.receiveFrame()).as("nothing but frames on stdout").isNull();
            assertThat(shim.awaitExit()).isZero();
        }
        // closing the browser side leaves the daemon running
        try (ControlClient client = ControlClient.connect(daemon.socketFile())) {
            assertThat(client.call(Methods.NODE_INFO, JsonRpcCodec.mapper().createObjectNode()).has("peerId")).isTrue();
        }
        String log = Files.readString(stderr);
        assertThat(log).doesNotContain("Exception");
    }

    @Test
    void exitsWhenTheDaemonGoesAway() throws Exception {
        try (ShimProcess shim = ShimProcess.start(dataDir, dataDir.resolve("shim.err"))) {
            shim.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"node.info\"}");
            assertThat(shim.receive().has("result")).isTrue();
            daemon.close();
            assertThat(shim.receiveFrame()).isNull();
            assertThat(shim.awaitExit()).isZero();
        }
    }

    @Test
    void startsTheDaemonWhenNoneAnswersAndWaitsForItsSocket() throws Exception {
        daemon.close();
        PipedOutputStream browser = new PipedOutputStream();
        PipedInputStream stdin = new PipedInputStream(browser, 1 << 16);
        PipedInputStream fromShim = new PipedInputStream(1 << 16);
        PipedOutputStream stdout = new PipedOutputStream(fromShim);
        Daemon[] started = new Daemon[1];
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> NativeMessagingShim.run(dataDir,
                "chrome-extension://test/", stdin, stdout, dir -> Thread.ofVirtual().start(() -> {
                    try {
                        Thread.sleep(300); // the socket appears only after the shim's first retry
                        started[0] = Daemon.start(dir, node, new GrantStore(db));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })));
        NativeMessagingFrames.writeToHost(browser, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"node.info\"}".getBytes(StandardCharsets.UTF_8));
        byte[] reply = NativeMessagingFrames.read(fromShim);
        assertThat(JsonRpcCodec.mapper().readTree(reply).get("id").asInt()).isEqualTo(9);
        browser.close();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        started[0].close();
    }

    @Test
    void unreachableDaemonIsExitOne() {
        daemon.close();
        int exit = NativeMessagingShim.run(dataDir.resolve("nowhere"), "chrome-extension://test/",
                new java.io.ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), dir -> {
                    throw new java.io.IOException("cannot start");
                });
        assertThat(exit).isEqualTo(1);
        assertThat(ControlFrames.MAX_PAYLOAD_BYTES).isEqualTo(NativeMessagingFrames.MAX_BROWSER_TO_HOST_BYTES);
    }
}
