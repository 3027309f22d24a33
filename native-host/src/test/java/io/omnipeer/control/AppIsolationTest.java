package io.omnipeer.control;

import static io.omnipeer.control.ControlParams.params;
import static io.omnipeer.control.ControlParams.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.apps.AppManifest;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage.Notification;
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
 * Two installed apps, A and B, on two real daemons connected over loopback TCP, each asking for the same short
 * names (topic {@code chat}, protocol {@code echo/1.0.0}, DHT prefix {@code notes/}). Requests are crafted on the
 * control socket exactly as the extension forwards a page's (the entry origin in {@code params.origin}): A never
 * receives B's messages, never reaches B's handler, never reads B's DHT records, however it spells the name; a plain
 * web page cannot enter the apps' topic space. Storage isolation: {@link AppPlatformControlTest}.
 */
class AppIsolationTest {
    private static final String A = "org.example.a";
    private static final String B = "org.example.b";
    private static final String A_ORIGIN = "http://127.0.0.1:8611";
    private static final String B_ORIGIN = "https://b.example";
    private static final String WEB = "https://plain.example";
    private static final String TOPIC = "chat";
    private static final String PROTOCOL = "echo/1.0.0";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Names A may be granted (its manifest asks for them) that try to reach into B's namespace. */
    private static final String B_TOPIC_ON_WIRE = "/omnipeer/app/" + B + "/" + TOPIC;

    @TempDir
    Path tmp;
    private final List<RunningDaemon> running = new ArrayList<>();
    private RunningDaemon one;
    private RunningDaemon two;
    private final PrivateKey keyA = Ed25519PrivateKey.generate();
    private final PrivateKey keyB = Ed25519PrivateKey.generate();

    @BeforeEach
    void startTwoDaemonsWithBothApps() throws Exception {
        one = RunningDaemon.start(tmp.resolve("one"));
        two = RunningDaemon.start(tmp.resolve("two"));
        running.add(one);
        running.add(two);
        one.connectTo(two);
        for (RunningDaemon r : running) {
            install(r, A, A_ORIGIN, keyA, "pubsub:" + TOPIC, "pubsub:" + B_TOPIC_ON_WIRE, "stream:" + PROTOCOL,
                    "dht:notes/", "dht:../");
            install(r, B, B_ORIGIN, keyB, "pubsub:" + TOPIC, "stream:" + PROTOCOL, "dht:notes/");
            grant(r, WEB, "pubsub:" + TOPIC, "pubsub:" + B_TOPIC_ON_WIRE);
        }
        await().atMost(WAIT).until(() -> one.node().dht().routingTable().size() == 1
                && two.node().dht().routingTable().size() == 1);
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

    private static String text(JsonNode base64) {
        return new String(Base64.getDecoder().decode(base64.asText()), StandardCharsets.UTF_8);
    }

    private static void install(RunningDaemon r, String id, String origin, PrivateKey key, String... capabilities) {
        ObjectNode manifest = AppPlatformControlTest.manifest(id, "1.0.0", origin, key, 4096, capabilities);
        r.client().call(Methods.APPS_INSTALL, params().set("manifest", AppManifest.sign(manifest, key)));
        grant(r, origin, capabilities);
    }

    private static void grant(RunningDaemon r, String origin, String... capabilities) {
        var list = JsonRpcCodec.mapper().createArrayNode();
        for (String c : capabilities) {
            list.add(c);
        }
        r.client().call(Methods.GRANTS_ADD, params().put("origin", origin).set("capabilities", list));
    }

    private static int errorCode(RunningDaemon r, String method, ObjectNode p) {
        RpcException e = catchThrowableOfType(RpcException.class, () -> r.client().call(method, p));
        assertThat(e).as(method + " " + p).isNotNull();
        return e.code();
    }

    /** The pubsub.message notifications that arrive within {@code wait}, for any subscription. */
    private static List<Notification> messages(RunningDaemon r, Duration wait) throws InterruptedException {
        List<Notification> out = new ArrayList<>();
        long end = System.nanoTime() + wait.toNanos();
        Notification n;
        while ((n = r.notifications().poll(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
            if (n.method().equals(Methods.PUBSUB_MESSAGE)) {
                out.add(n);
            }
        }
        return out;
    }

    private static List<Notification> of(List<Notification> messages, String subscription) {
        return messages.stream().filter(n -> n.params().path("subscription").asText().equals(subscription)).toList();
    }

    private static String subscribe(RunningDaemon r, ObjectNode p) {
        return r.client().call(Methods.PUBSUB_SUBSCRIBE, p).get("subscription").asText();
    }

    @Test
    void appsShareATopicNameButNeverTheirMessages() throws Exception {
        String aOnTwo = subscribe(two, page(A_ORIGIN).put("topic", TOPIC));
        String bOnTwo = subscribe(two, page(B_ORIGIN).put("topic", TOPIC));
        String webOnTwo = subscribe(two, page(WEB).put("topic", TOPIC));
        String cliOnTwo = subscribe(two, params().put("topic", "/omnipeer/app/" + A + "/" + TOPIC));
        // A, granted a topic spelled like B's wire topic, still publishes inside its own namespace
        subscribe(one, page(A_ORIGIN).put("topic", TOPIC));
        await().atMost(WAIT).until(() -> one.node().pubsub().peersSubscribedTo("/omnipeer/app/" + A + "/" + TOPIC).size() == 1);

        one.client().call(Methods.PUBSUB_PUBLISH, page(A_ORIGIN).put("topic", TOPIC).put("data", b64("from A")));
        one.client().call(Methods.PUBSUB_PUBLISH, page(A_ORIGIN).put("topic", B_TOPIC_ON_WIRE).put("data", b64("A spoofing B")));

        List<Notification> received = messages(two, Duration.ofSeconds(3));
        List<Notification> atA = of(received, aOnTwo);
        assertThat(atA).hasSize(1);
        assertThat(atA.getFirst().params().get("topic").asText()).as("pages see the topic as they named it").isEqualTo(TOPIC);
        assertThat(text(atA.getFirst().params().get("data"))).isEqualTo("from A");
        assertThat(atA.getFirst().params().get("from").asText()).isEqualTo(one.node().peerId().toBase58());
        assertThat(of(received, bOnTwo)).as("B hears nothing of A").isEmpty();
        assertThat(of(received, webOnTwo)).as("a plain page hears no app").isEmpty();
        List<Notification> atCli = of(received, cliOnTwo);
        assertThat(atCli).as("on the wire A's topic is /omnipeer/app/<A>/chat").hasSize(1);
        assertThat(atCli.getFirst().params().get("topic").asText()).isEqualTo("/omnipeer/app/" + A + "/" + TOPIC);
    }

    @Test
    void aPlainWebPageCannotEnterTheAppsTopicSpace() {
        for (String method : List.of(Methods.PUBSUB_SUBSCRIBE, Methods.PUBSUB_PUBLISH)) {
            assertThat(errorCode(two, method, page(WEB).put("topic", B_TOPIC_ON_WIRE).put("data", b64("x"))))
                    .as(method).isEqualTo(ErrorCodes.UNAUTHORIZED);
        }
        // an app cannot be granted what its manifest does not ask for, so B's topic space stays B's
        assertThat(errorCode(two, Methods.GRANTS_ADD, params().put("origin", A_ORIGIN).set("capabilities",
                JsonRpcCodec.mapper().createArrayNode().add("pubsub:other")))).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(errorCode(two, Methods.PUBSUB_SUBSCRIBE, page(A_ORIGIN).put("topic", "other")))
                .isEqualTo(ErrorCodes.UNAUTHORIZED);
    }

    @Test
    void anAppCannotOpenAnotherAppsProtocol() {
        two.client().call(Methods.STREAMS_HANDLE, page(B_ORIGIN).put("protocol", PROTOCOL));
        String peer = two.node().peerId().toBase58();
        assertThat(errorCode(one, Methods.STREAMS_OPEN, page(A_ORIGIN).put("peerId", peer).put("protocol", PROTOCOL)))
                .as("A's echo/1.0.0 is /omnipeer/app/<A>/echo/1.0.0: B's handler never sees it")
                .isEqualTo(ErrorCodes.INTERNAL_ERROR);
        for (String crafted : List.of("../" + B + "/" + PROTOCOL, "/omnipeer/app/" + B + "/" + PROTOCOL)) {
            assertThat(errorCode(one, Methods.STREAMS_OPEN, page(A_ORIGIN).put("peerId", peer).put("protocol", crafted)))
                    .as(crafted).isIn(ErrorCodes.INVALID_PARAMS, ErrorCodes.UNAUTHORIZED);
        }
        // B on the other daemon reaches it
        JsonNode opened = one.client().call(Methods.STREAMS_OPEN, page(B_ORIGIN).put("peerId", peer).put("protocol", PROTOCOL));
        assertThat(opened.get("stream").asText()).isNotEmpty();
    }

    @Test
    void anAppCannotReadOrOverwriteAnotherAppsDhtRecords() {
        one.client().call(Methods.DHT_PUT, page(B_ORIGIN).put("key", "notes/secret").put("value", b64("B's note")));
        JsonNode asB = two.client().call(Methods.DHT_GET, page(B_ORIGIN).put("key", "notes/secret"));
        assertThat(text(asB.get("value"))).as("B on the other daemon reads its record").isEqualTo("B's note");

        assertThat(two.client().call(Methods.DHT_GET, page(A_ORIGIN).put("key", "notes/secret")).get("value").isNull())
                .as("A's notes/secret is another key").isTrue();
        for (String crafted : List.of("../" + B + "/notes/secret", "../../" + B + "/notes/secret")) {
            RpcException e = catchThrowableOfType(RpcException.class,
                    () -> two.client().call(Methods.DHT_GET, page(A_ORIGIN).put("key", crafted)));
            if (e == null) {
                assertThat(two.client().call(Methods.DHT_GET, page(A_ORIGIN).put("key", crafted)).get("value").isNull())
                        .as(crafted).isTrue();
            } else {
                assertThat(e.code()).as(crafted).isIn(ErrorCodes.INVALID_PARAMS, ErrorCodes.UNAUTHORIZED);
            }
        }
        one.client().call(Methods.DHT_PUT, page(A_ORIGIN).put("key", "notes/secret").put("value", b64("A's note")));
        assertThat(text(two.client().call(Methods.DHT_GET, page(B_ORIGIN).put("key", "notes/secret")).get("value")))
                .as("A's write with the same name left B's record alone").isEqualTo("B's note");
    }
}
