package io.omnipeer.control;

import static io.omnipeer.control.ControlParams.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.apps.AppManifest;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcMessage;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcException;
import io.omnipeer.store.Database;
import io.omnipeer.store.GrantStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app platform's control methods over a real control socket: install/update validation (each failure a -32602
 * and nothing changed), principals and grants with expiry, storage isolation and quota, remove --purge.
 */
class AppPlatformControlTest {
    private static final String A_ORIGIN = "http://127.0.0.1:8601";
    private static final String B_ORIGIN = "https://b.example";
    @TempDir
    Path dataDir;
    private Database db;
    private TestNode node;
    private Daemon daemon;
    private ControlClient cli;
    private final PrivateKey keyA = Ed25519PrivateKey.generate();
    private final PrivateKey keyB = Ed25519PrivateKey.generate();

    @BeforeEach
    void start() throws Exception {
        db = Database.open(dataDir.resolve(DataDir.DATABASE));
        node = new TestNode();
        daemon = Daemon.start(dataDir, node, new GrantStore(db));
        cli = ControlClient.connect(daemon.socketFile());
    }

    @AfterEach
    void stop() {
        cli.close();
        daemon.close();
        db.close();
    }

    static ObjectNode manifest(String id, String version, String origin, PrivateKey key, long storageBytes, String... caps) {
        ObjectNode m = params().put("id", id).put("name", "App " + id).put("version", version).put("description", "test app")
                .put("icon", "data:image/png;base64,AA==")
                .put("publisherKey", Base64.getEncoder().encodeToString(key.publicKey().marshal()));
        m.putObject("entry").put("origin", origin);
        var list = m.putArray("capabilities");
        for (String c : caps) {
            list.add(c);
        }
        m.putObject("resources").put("bandwidthInKiBps", 0).put("bandwidthOutKiBps", 0).put("storageBytes", storageBytes)
                .put("connections", 0);
        return m;
    }

    private JsonNode install(ObjectNode signed) {
        return cli.call(Methods.APPS_INSTALL, params().set("manifest", signed));
    }

    private int installError(ObjectNode signed) {
        return catchThrowableOfType(RpcException.class, () -> install(signed)).code();
    }

    private JsonNode page(String method, String origin, ObjectNode p) {
        return cli.call(method, p.put("origin", origin));
    }

    private RpcException pageError(String method, String origin, ObjectNode p) {
        return catchThrowableOfType(RpcException.class, () -> page(method, origin, p));
    }

    private void installAandB() {
        install(AppManifest.sign(manifest("org.example.a", "1.0.0", A_ORIGIN, keyA, 100, "storage", "stream:chat/1.0.0"), keyA));
        install(AppManifest.sign(manifest("org.example.b", "1.0.0", B_ORIGIN, keyB, 0, "storage", "dht:notes/"), keyB));
        cli.call(Methods.GRANTS_ADD, params().put("origin", A_ORIGIN).set("capabilities", params().arrayNode().add("storage")));
        cli.call(Methods.GRANTS_ADD, params().put("origin", B_ORIGIN).set("capabilities", params().arrayNode().add("storage")));
    }

    @Test
    void installListsInfoAndUpdatesOnlyWithTheSameKeyAndAHigherVersion() {
        List<JsonRpcMessage.Notification> seen = new CopyOnWriteArrayList<>();
        cli.onNotification(seen::add);
        JsonNode app = install(AppManifest.sign(manifest("org.example.a", "1.2.0", A_ORIGIN, keyA, 100, "storage"), keyA)).path("app");
        assertThat(app.path("id").asText()).isEqualTo("org.example.a");
        assertThat(app.path("enabled").asBoolean()).isTrue();
        assertThat(app.path("fingerprint").asText()).matches("[0-9a-f]{4}( [0-9a-f]{4}){3}");
        assertThat(app.path("entry").path("origin").asText()).isEqualTo(A_ORIGIN);
        assertThat(app.path("resources").path("storageBytes").asLong()).isEqualTo(100);
        assertThat(node.resources().appLimits("org.example.a").storageBytes()).isEqualTo(100);
        await().atMost(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(n -> n.method().equals(Methods.APPS_CHANGED)
                && n.params().path("id").asText().equals("org.example.a")));

        ObjectNode badSig = AppManifest.sign(manifest("org.example.a", "2.0.0", A_ORIGIN, keyA, 100, "storage"), keyA);
        ((ObjectNode) badSig.get("manifest")).put("name", "Tampered");
        assertThat(installError(badSig)).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(installError(AppManifest.sign(manifest("org.example.a", "2.0.0", A_ORIGIN, keyB, 100, "storage"), keyB)))
                .as("wrong key on update").isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(installError(AppManifest.sign(manifest("org.example.a", "1.1.9", A_ORIGIN, keyA, 100, "storage"), keyA)))
                .as("lower version").isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(installError(AppManifest.sign(manifest("org.example.a", "1.2.0", A_ORIGIN, keyA, 100, "storage"), keyA)))
                .as("same version").isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(installError(AppManifest.sign(manifest("org.example.c", "1.0.0", "https://c.example", keyA, 0, "camera:all"), keyA)))
                .as("unknown capability").isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(installError(AppManifest.sign(manifest("not_reverse_dns", "1.0.0", "https://c.example", keyA, 0), keyA)))
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(installError(AppManifest.sign(manifest("org.example.c", "1.0", "https://c.example", keyA, 0), keyA)))
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(installError(AppManifest.sign(manifest("org.example.c", "1.0.0", "http://c.example:80", keyA, 0), keyA)))
                .as("plain http only on loopback").isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(installError(AppManifest.sign(manifest("org.example.c", "1.0.0", A_ORIGIN, keyA, 0), keyA)))
                .as("entry origin taken").isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(installError(params().put("manifest", "{not json"))).as("malformed").isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(installError((ObjectNode) params().set("manifest", params().put("id", "x")))).isEqualTo(ErrorCodes.INVALID_PARAMS);

        JsonNode list = cli.call(Methods.APPS_LIST, params()).path("apps");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("version").asText()).as("nothing changed").isEqualTo("1.2.0");
        assertThat(list.get(0).path("name").asText()).isEqualTo("App org.example.a");

        JsonNode updated = install(AppManifest.sign(manifest("org.example.a", "1.10.0", A_ORIGIN, keyA, 200, "storage"), keyA));
        assertThat(updated.path("app").path("version").asText()).isEqualTo("1.10.0");
        assertThat(updated.path("app").path("installedAt").asLong()).isEqualTo(app.path("installedAt").asLong());
        assertThat(cli.call(Methods.APPS_INFO, params().put("id", "org.example.a")).path("app").path("resources")
                .path("storageBytes").asLong()).isEqualTo(200);
        assertThat(pageError(Methods.APPS_LIST, A_ORIGIN, params()).code()).isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(pageError(Methods.APPS_INSTALL, A_ORIGIN, params()).code()).isEqualTo(ErrorCodes.UNAUTHORIZED);
    }

    @Test
    void appsSurviveARestartAndDisableStopsThePrincipal() throws Exception {
        installAandB();
        cli.close();
        daemon.close();
        daemon = Daemon.start(dataDir, node, new GrantStore(db));
        cli = ControlClient.connect(daemon.socketFile());
        assertThat(cli.call(Methods.APPS_LIST, params()).path("apps")).hasSize(2);
        assertThat(page(Methods.APPS_CURRENT, A_ORIGIN, params()).path("app").path("id").asText()).isEqualTo("org.example.a");
        assertThat(page(Methods.APPS_CURRENT, "https://other.example", params()).path("app").isNull()).isTrue();

        cli.call(Methods.APPS_DISABLE, params().put("id", "org.example.a"));
        assertThat(page(Methods.APPS_CURRENT, A_ORIGIN, params()).path("app").isNull()).isTrue();
        assertThat(pageError(Methods.STORAGE_LIST, "app:org.example.a", params()).code()).isEqualTo(ErrorCodes.UNAUTHORIZED);
        assertThat(pageError(Methods.STORAGE_LIST, A_ORIGIN, params()).code()).as("plain origin has no grant")
                .isEqualTo(ErrorCodes.UNAUTHORIZED);
        cli.call(Methods.APPS_ENABLE, params().put("id", "org.example.a"));
        assertThat(page(Methods.STORAGE_LIST, A_ORIGIN, params()).path("keys")).isEmpty();
    }

    @Test
    void grantsLiveUnderThePrincipalExpireAndStayWithinTheManifest() {
        installAandB();
        JsonNode grants = page(Methods.GRANTS_LIST, A_ORIGIN, params()).path("grants");
        assertThat(grants).hasSize(1);
        assertThat(grants.get(0).path("origin").asText()).isEqualTo("app:org.example.a");
        assertThat(grants.get(0).path("expiresAt").isNull()).isTrue();
        assertThat(catchThrowableOfType(RpcException.class, () -> cli.call(Methods.GRANTS_ADD, params().put("origin", A_ORIGIN)
                .set("capabilities", params().arrayNode().add("pubsub:other")))).code())
                .as("not in the manifest").isEqualTo(ErrorCodes.INVALID_PARAMS);

        long past = System.currentTimeMillis() - 1000;
        cli.call(Methods.GRANTS_ADD, params().put("origin", A_ORIGIN).put("expiresAt", past)
                .set("capabilities", params().arrayNode().add("stream:chat/1.0.0")));
        assertThat(page(Methods.GRANTS_LIST, A_ORIGIN, params()).path("grants")).as("expired = absent").hasSize(1);
        long later = System.currentTimeMillis() + 3_600_000;
        cli.call(Methods.GRANTS_ADD, params().put("origin", A_ORIGIN).put("expiresAt", later)
                .set("capabilities", params().arrayNode().add("stream:chat/1.0.0")));
        JsonNode after = page(Methods.GRANTS_LIST, A_ORIGIN, params()).path("grants");
        assertThat(after).hasSize(2);
        assertThat(after.findValues("expiresAt").stream().filter(JsonNode::isNumber).map(JsonNode::asLong)).containsExactly(later);

        assertThat(cli.call(Methods.GRANTS_REVOKE, params().put("origin", "app:org.example.a").put("capability", "storage"))
                .path("revoked").asInt()).isEqualTo(1);
        assertThat(pageError(Methods.STORAGE_GET, A_ORIGIN, params().put("key", "k")).code()).isEqualTo(ErrorCodes.UNAUTHORIZED);
    }

    @Test
    void storageIsPerPrincipalAndCraftedOriginsCannotReachAnotherApp() {
        installAandB();
        page(Methods.STORAGE_PUT, B_ORIGIN, params().put("key", "secret").put("data", "c2VjcmV0"));
        page(Methods.STORAGE_PUT, A_ORIGIN, params().put("key", "mine").put("data", "AQI="));
        assertThat(page(Methods.STORAGE_GET, A_ORIGIN, params().put("key", "secret")).path("data").isNull()).isTrue();
        assertThat(page(Methods.STORAGE_LIST, A_ORIGIN, params()).path("keys")).extracting(JsonNode::asText).containsExactly("mine");
        assertThat(page(Methods.STORAGE_GET, B_ORIGIN, params().put("key", "secret")).path("data").asText()).isEqualTo("c2VjcmV0");

        for (String spoof : List.of("app:org.example.b/../org.example.a", "app:org.example.a/../org.example.b", "app:..",
                "app:org.example.b/", "app:", "APP:org.example.b", "app:org.example.b ", "https://b.example/", "https://B.example")) {
            RpcException refused = pageError(Methods.STORAGE_GET, spoof, params().put("key", "secret"));
            assertThat(refused).as(spoof).isNotNull();
            assertThat(refused.code()).as(spoof).isEqualTo(ErrorCodes.UNAUTHORIZED);
        }
        assertThat(Namespaces.of("app:org.example.b/../x")).startsWith("web-");
        assertThat(Namespaces.of("app:..")).startsWith("web-");
        assertThat(Namespaces.of("app:org.example.b")).isEqualTo("org.example.b");
        assertThat(pageError(Methods.STORAGE_GET, "", params().put("key", "k")).code()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(catchThrowableOfType(RpcException.class, () -> cli.call(Methods.STORAGE_GET, params().put("key", "secret")))
                .code()).as("no origin has no storage").isEqualTo(ErrorCodes.UNAUTHORIZED);
    }

    @Test
    void theWriteThatCrossesTheQuotaIsRefusedAndEarlierDataKept() {
        installAandB();
        String sixty = Base64.getEncoder().encodeToString(new byte[60]);
        page(Methods.STORAGE_PUT, A_ORIGIN, params().put("key", "k1").put("data", sixty));
        RpcException refused = pageError(Methods.STORAGE_PUT, A_ORIGIN, params().put("key", "k2").put("data", sixty));
        assertThat(refused.code()).isEqualTo(ErrorCodes.RESOURCE_LIMIT);
        assertThat(refused.toError().data().path("limit").asText()).isEqualTo("storage");
        assertThat(refused.toError().data().path("current").asLong()).isEqualTo(62);
        assertThat(refused.toError().data().path("max").asLong()).isEqualTo(100);
        assertThat(page(Methods.STORAGE_LIST, A_ORIGIN, params()).path("keys")).extracting(JsonNode::asText).containsExactly("k1");
        assertThat(page(Methods.STORAGE_GET, A_ORIGIN, params().put("key", "k1")).path("data").asText()).isEqualTo(sixty);
        assertThat(node.resources().usage("org.example.a").storageBytes()).isEqualTo(62);
        page(Methods.STORAGE_PUT, A_ORIGIN, params().put("key", "k1").put("data", "AA=="));
        page(Methods.STORAGE_PUT, A_ORIGIN, params().put("key", "k2").put("data", sixty));
        assertThat(page(Methods.STORAGE_DELETE, A_ORIGIN, params().put("key", "k1")).path("deleted").asBoolean()).isTrue();
        assertThat(page(Methods.STORAGE_LIST, A_ORIGIN, params().put("prefix", "k")).path("keys")).hasSize(1);
    }

    @Test
    void removeDropsGrantsAndPurgeDropsData() {
        installAandB();
        page(Methods.STORAGE_PUT, A_ORIGIN, params().put("key", "k").put("data", "AA=="));
        page(Methods.STORAGE_PUT, B_ORIGIN, params().put("key", "k").put("data", "AA=="));
        cli.call(Methods.APPS_REMOVE, params().put("id", "org.example.a").put("purge", true));
        cli.call(Methods.APPS_REMOVE, params().put("id", "org.example.b"));
        assertThat(cli.call(Methods.APPS_LIST, params()).path("apps")).isEmpty();
        assertThat(cli.call(Methods.GRANTS_LIST, params()).path("grants")).isEmpty();
        assertThat(catchThrowableOfType(RpcException.class, () -> cli.call(Methods.APPS_INFO, params().put("id", "org.example.a")))
                .code()).isEqualTo(ErrorCodes.INVALID_PARAMS);

        install(AppManifest.sign(manifest("org.example.a", "1.0.0", A_ORIGIN, keyA, 100, "storage"), keyA));
        install(AppManifest.sign(manifest("org.example.b", "1.0.0", B_ORIGIN, keyB, 0, "storage"), keyB));
        assertThat(page(Methods.GRANTS_LIST, A_ORIGIN, params()).path("grants")).isEmpty();
        cli.call(Methods.GRANTS_ADD, params().put("origin", A_ORIGIN).set("capabilities", params().arrayNode().add("storage")));
        cli.call(Methods.GRANTS_ADD, params().put("origin", B_ORIGIN).set("capabilities", params().arrayNode().add("storage")));
        assertThat(page(Methods.STORAGE_LIST, A_ORIGIN, params()).path("keys")).as("purged").isEmpty();
        assertThat(page(Methods.STORAGE_LIST, B_ORIGIN, params()).path("keys")).as("kept without purge").hasSize(1);
    }
}
