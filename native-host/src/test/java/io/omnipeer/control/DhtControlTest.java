package io.omnipeer.control;

import static io.omnipeer.control.ControlParams.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.core.Base58;
import io.omnipeer.core.Multihash;
import io.omnipeer.node.OverlayNode;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dht.* control methods and peers.connect {peerId} across three real daemons on loopback: a hub that the other two
 * joined; pages reach only dht.get/dht.put, within a granted key prefix and their own namespace.
 */
class DhtControlTest {
    private static final String PAGE = "https://notes.example";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;
    private final List<RunningDaemon> running = new ArrayList<>();

    @BeforeEach
    void startThree() throws Exception {
        for (String name : List.of("hub", "b", "c")) {
            running.add(RunningDaemon.start(tmp.resolve(name)));
        }
        OverlayNode hub = running.get(0).node();
        for (RunningDaemon r : running.subList(1, 3)) {
            r.node().connect(hub.listenAddresses().getFirst().withPeerId(hub.peerId())).get(10, TimeUnit.SECONDS);
        }
        await().atMost(WAIT).until(() -> hub.dht().routingTable().size() == 2);
        for (RunningDaemon r : running.subList(1, 3)) {
            await().atMost(WAIT).until(() -> r.node().dht().routingTable().size() >= 1);
        }
    }

    @AfterEach
    void stopAll() throws Exception {
        for (RunningDaemon r : running) {
            r.close();
        }
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertUnauthorized(ControlClient client, String method, ObjectNode p) {
        assertThatThrownBy(() -> client.call(method, p)).isInstanceOfSatisfying(RpcException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCodes.UNAUTHORIZED));
    }

    @Test
    void putOnOneDaemonGetOnAnotherWithTheWriterShown() {
        ControlClient b = running.get(1).client();
        ControlClient c = running.get(2).client();
        JsonNode put = b.call(Methods.DHT_PUT, params().put("key", "/omnipeer/app/cli-test/greeting").put("value", b64("hello")));
        assertThat(put.get("peers").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode got = c.call(Methods.DHT_GET, params().put("key", "/omnipeer/app/cli-test/greeting"));
        assertThat(new String(Base64.getDecoder().decode(got.get("value").asText()), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(got.get("writer").asText()).isEqualTo(running.get(1).node().peerId().toBase58());
        JsonNode missing = c.call(Methods.DHT_GET, params().put("key", "/omnipeer/app/cli-test/none"));
        assertThat(missing.get("value").isNull()).isTrue();
        assertThatThrownBy(() -> c.call(Methods.DHT_PUT, params().put("key", "/nons/x").put("value", b64("v"))))
                .isInstanceOfSatisfying(RpcException.class, e -> assertThat(e.code()).isEqualTo(ErrorCodes.INVALID_PARAMS));
    }

    @Test
    void pagesUseOnlyGrantedPrefixesInTheirOwnNamespace() {
        ControlClient b = running.get(1).client();
        ControlClient c = running.get(2).client();
        assertUnauthorized(b, Methods.DHT_PUT, params().put("origin", PAGE).put("key", "notes/1").put("value", b64("x")));
        b.call(Methods.GRANTS_ADD, params().put("origin", PAGE)
                .set("capabilities", JsonRpcCodec.mapper().createArrayNode().add("dht:notes/")));
        c.call(Methods.GRANTS_ADD, params().put("origin", PAGE)
                .set("capabilities", JsonRpcCodec.mapper().createArrayNode().add("dht:notes/")));
        b.call(Methods.DHT_PUT, params().put("origin", PAGE).put("key", "notes/1").put("value", b64("first note")));
        assertUnauthorized(b, Methods.DHT_PUT, params().put("origin", PAGE).put("key", "other").put("value", b64("x")));
        assertUnauthorized(b, Methods.DHT_FIND_PEER, params().put("origin", PAGE)
                .put("peerId", running.get(0).node().peerId().toBase58()));
        assertUnauthorized(b, Methods.DHT_PROVIDE, params().put("origin", PAGE).put("key", "QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"));

        // the same origin on another daemon reads it; the CLI sees where it really lives
        JsonNode got = c.call(Methods.DHT_GET, params().put("origin", PAGE).put("key", "notes/1"));
        assertThat(new String(Base64.getDecoder().decode(got.get("value").asText()), StandardCharsets.UTF_8))
                .isEqualTo("first note");
        String real = "/omnipeer/app/" + Namespaces.of(PAGE) + "/notes/1";
        assertThat(c.call(Methods.DHT_GET, params().put("key", real)).get("value").isNull()).isFalse();
        assertThat(Namespaces.of(PAGE)).matches("web-[a-z2-7]{16}");
    }

    @Test
    void provideFindProvidersAndFindPeer() {
        ControlClient b = running.get(1).client();
        ControlClient c = running.get(2).client();
        String key = Base58.encode(Multihash.sha256("shared file".getBytes(StandardCharsets.UTF_8)).bytes());
        JsonNode provided = b.call(Methods.DHT_PROVIDE, params().put("key", key));
        assertThat(provided.get("key").asText()).isEqualTo(key);
        JsonNode providers = c.call(Methods.DHT_FIND_PROVIDERS, params().put("key", key).put("limit", 1));
        assertThat(providers.get("providers")).hasSize(1);
        assertThat(providers.get("providers").get(0).get("peerId").asText())
                .isEqualTo(running.get(1).node().peerId().toBase58());

        JsonNode found = c.call(Methods.DHT_FIND_PEER, params().put("peerId", running.get(1).node().peerId().toBase58()));
        assertThat(found.get("found").asBoolean()).isTrue();
        assertThat(found.get("addrs").get(0).asText())
                .isEqualTo(running.get(1).node().listenAddresses().getFirst().toString());
    }

    @Test
    void connectByPeerIdAlone() {
        ControlClient c = running.get(2).client();
        String b = running.get(1).node().peerId().toBase58();
        JsonNode r = c.call(Methods.PEERS_CONNECT, params().put("peerId", b));
        assertThat(r.get("peerId").asText()).isEqualTo(b);
        assertThat(running.get(2).node().connectedPeers()).anyMatch(p -> p.id().toBase58().equals(b));
    }
}
