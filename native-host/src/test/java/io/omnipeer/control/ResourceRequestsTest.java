package io.omnipeer.control;

import static io.omnipeer.control.ControlParams.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcError;
import io.omnipeer.protocol.control.RpcException;
import io.omnipeer.rcmgr.AppLimits;
import io.omnipeer.rcmgr.ResourceLimitException;
import io.omnipeer.store.Database;
import io.omnipeer.store.GrantStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apps.usage, settings.get/set and the 4290 error over a real control socket. */
class ResourceRequestsTest {
    @TempDir
    Path dataDir;
    private Database db;
    private TestNode node;
    private Daemon daemon;
    private ControlClient cli;

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

    @Test
    void appsUsageListsEveryKnownAppWithLimitsAndTheSystem() {
        node.resources().setAppLimits("org.example.a", new AppLimits(512, 256, 1 << 20, 4));
        node.resources().reserveStorage("org.example.a", 1000);
        node.resources().reserveStorage("org.example.b", 7);

        JsonNode all = cli.call(Methods.APPS_USAGE, params());
        assertThat(all.path("apps")).hasSize(2);
        JsonNode a = all.path("apps").get(0);
        assertThat(a.path("id").asText()).isEqualTo("org.example.a");
        assertThat(a.path("storageBytes").asLong()).isEqualTo(1000);
        assertThat(a.path("streams").asInt()).isZero();
        assertThat(a.path("inBps").asLong()).isZero();
        assertThat(a.path("limits").path("bandwidthInKiBps").asLong()).isEqualTo(512);
        assertThat(a.path("limits").path("bandwidthOutKiBps").asLong()).isEqualTo(256);
        assertThat(a.path("limits").path("storageBytes").asLong()).isEqualTo(1 << 20);
        assertThat(a.path("limits").path("connections").asInt()).isEqualTo(4);
        assertThat(all.path("system").path("id").asText()).isEqualTo("system");
        assertThat(all.path("system").path("storageBytes").asLong()).isEqualTo(1007);
        assertThat(all.path("refused").isObject()).isTrue();

        JsonNode one = cli.call(Methods.APPS_USAGE, params().put("id", "org.example.b"));
        assertThat(one.path("apps")).hasSize(1);
        assertThat(one.path("apps").get(0).path("storageBytes").asLong()).isEqualTo(7);
        JsonNode unknown = cli.call(Methods.APPS_USAGE, params().put("id", "org.example.none"));
        assertThat(unknown.path("apps").get(0).path("bytesIn").asLong()).isZero();
    }

    @Test
    void settingsSetChangesTheGlobalLimitsAndGetShowsThemWithTheDataDirSize() throws Exception {
        Files.write(dataDir.resolve("blob"), new byte[4096]);
        JsonNode before = cli.call(Methods.SETTINGS_GET, params()).path("settings");
        assertThat(before.path("bandwidthInKiBps").asLong()).isZero();
        assertThat(before.path("bandwidthOutKiBps").asLong()).isZero();
        assertThat(before.path("dataDir").asText()).isEqualTo(dataDir.toString());
        assertThat(before.path("dataDirBytes").asLong()).isGreaterThanOrEqualTo(4096);

        ObjectNode set = params();
        set.putObject("settings").put("bandwidthInKiBps", 100);
        JsonNode after = cli.call(Methods.SETTINGS_SET, set).path("settings");
        assertThat(after.path("bandwidthInKiBps").asLong()).isEqualTo(100);
        assertThat(after.path("bandwidthOutKiBps").asLong()).isZero();
        assertThat(node.resources().globalInKiBps()).isEqualTo(100);

        set.putObject("settings").put("bandwidthOutKiBps", 50);
        cli.call(Methods.SETTINGS_SET, set);
        assertThat(node.resources().globalInKiBps()).isEqualTo(100);
        assertThat(node.resources().globalOutKiBps()).isEqualTo(50);
    }

    @Test
    void anAltSpeedScheduleIsSetShownAndRemoved() {
        ObjectNode set = params();
        ObjectNode alt = set.putObject("settings").putObject("altSchedule").put("start", "00:00").put("end", "23:59");
        for (int d = 1; d <= 7; d++) {
            alt.withArray("days").add(d);
        }
        alt.put("bandwidthInKiBps", 64).put("bandwidthOutKiBps", 32);
        JsonNode s = cli.call(Methods.SETTINGS_SET, set).path("settings");
        assertThat(s.path("altSchedule").path("start").asText()).isEqualTo("00:00");
        assertThat(s.path("altSchedule").path("days")).hasSize(7);
        assertThat(s.path("altSchedule").path("bandwidthOutKiBps").asLong()).isEqualTo(32);
        assertThat(node.resources().bandwidthSchedule()).isNotNull();
        assertThat(s.path("altActive").isBoolean()).isTrue();

        ObjectNode off = params();
        off.putObject("settings").putNull("altSchedule");
        assertThat(cli.call(Methods.SETTINGS_SET, off).path("settings").path("altSchedule").isNull()).isTrue();
        assertThat(node.resources().bandwidthSchedule()).isNull();

        ObjectNode bad = params();
        bad.putObject("settings").putObject("altSchedule").put("start", "7pm").put("end", "08:00")
                .put("bandwidthInKiBps", 1).put("bandwidthOutKiBps", 1).putArray("days").add(1);
        assertThat(catchThrowableOfType(RpcException.class, () -> cli.call(Methods.SETTINGS_SET, bad)).code())
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
    }

    @Test
    void badSettingsAreInvalidParamsAndChangeNothing() {
        for (ObjectNode bad : new ObjectNode[]{
                params(),
                settings("bandwidthInKiBps", -1),
                settings("bandwidthInKiBps", 10_000_001),
                settings("uploadSlots", 3),
        }) {
            RpcException e = catchThrowableOfType(RpcException.class, () -> cli.call(Methods.SETTINGS_SET, bad));
            assertThat(e.code()).as(bad.toString()).isEqualTo(ErrorCodes.INVALID_PARAMS);
        }
        ObjectNode text = params();
        text.putObject("settings").put("bandwidthInKiBps", "fast");
        assertThat(catchThrowableOfType(RpcException.class, () -> cli.call(Methods.SETTINGS_SET, text)).code())
                .isEqualTo(ErrorCodes.INVALID_PARAMS);
        assertThat(node.resources().globalInKiBps()).isZero();
    }

    private static ObjectNode settings(String field, long value) {
        ObjectNode p = params();
        p.putObject("settings").put(field, value);
        return p;
    }

    @Test
    void pageOriginsMayNotReadUsageOrSettings() {
        for (String method : new String[]{Methods.APPS_USAGE, Methods.SETTINGS_GET, Methods.SETTINGS_SET}) {
            RpcException e = catchThrowableOfType(RpcException.class,
                    () -> cli.call(method, params().put("origin", "https://a.example")));
            assertThat(e.code()).as(method).isEqualTo(ErrorCodes.UNAUTHORIZED);
        }
    }

    @Test
    void resourceLimitsBecomeError4290WithTheLimitInData() {
        RpcError error = RequestDispatcher.toError(Methods.STORAGE_PUT, new CompletionException(
                new ResourceLimitException("storage", "app:org.example.a", 1000, 1000, 5)));
        assertThat(error.code()).isEqualTo(ErrorCodes.RESOURCE_LIMIT);
        assertThat(error.message()).isEqualTo("app:org.example.a: storage limit reached (1000 in use, max 1000, 5 more requested)");
        assertThat(error.data().path("limit").asText()).isEqualTo("storage");
        assertThat(error.data().path("scope").asText()).isEqualTo("app:org.example.a");
        assertThat(error.data().path("current").asLong()).isEqualTo(1000);
        assertThat(error.data().path("max").asLong()).isEqualTo(1000);
    }
}
