package io.omnipeer.rcmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.omnipeer.rcmgr.ResourceManager.ScopeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** limits.json: written with the limits in force when absent, applied when present, refused whole when invalid. */
class LimitsFileTest {
    @TempDir
    Path dir;

    @Test
    void writesTheDefaultsAndReadsThemBack() throws Exception {
        Path file = dir.resolve(LimitsFile.NAME);
        ResourceManager first = new ResourceManager();
        LimitsFile.loadOrCreate(file, first);
        assertThat(Files.readString(file)).contains("\"system\"").contains("\"streamsInbound\"").contains("-1");

        ResourceManager second = new ResourceManager(java.util.Map.of());
        LimitsFile.loadOrCreate(file, second);
        for (ScopeKind kind : ScopeKind.values()) {
            assertThat(second.defaultLimits(kind)).as(kind.name()).isEqualTo(first.defaultLimits(kind));
        }
    }

    @Test
    void appliesDefaultsAndPerScopeLimitsKeepingUnnamedFields() throws Exception {
        Path file = dir.resolve(LimitsFile.NAME);
        Files.writeString(file, """
                {"defaults": {"peer": {"streamsInbound": 3, "memory": -1}},
                 "scopes": {"protocol:/ipfs/kad/1.0.0": {"streams": 10}, "app:org.example.a": {"storage": 500}}}
                """);
        ResourceManager resources = new ResourceManager();
        ScopeLimits builtIn = resources.defaultLimits(ScopeKind.PEER);
        LimitsFile.loadOrCreate(file, resources);
        ScopeLimits peer = resources.defaultLimits(ScopeKind.PEER);
        assertThat(peer.streamsInbound()).isEqualTo(3);
        assertThat(peer.memory()).isEqualTo(Long.MAX_VALUE);
        assertThat(peer.streamsOutbound()).isEqualTo(builtIn.streamsOutbound());
        assertThat(resources.overrides().get("protocol:/ipfs/kad/1.0.0").streams()).isEqualTo(10);
        assertThatThrownBy(() -> resources.reserveStorage("org.example.a", 501)).isInstanceOf(ResourceLimitException.class);
    }

    @Test
    void anInvalidFileChangesNothing() throws Exception {
        Path file = dir.resolve(LimitsFile.NAME);
        ResourceManager resources = new ResourceManager();
        ScopeLimits before = resources.defaultLimits(ScopeKind.SYSTEM);
        for (String bad : new String[]{
                "{not json",
                "{\"defaults\": {\"system\": {\"streams\": 5}, \"galaxy\": {}}}",
                "{\"defaults\": {\"system\": {\"streams\": 5, \"bogus\": 1}}}",
                "{\"defaults\": {\"system\": {\"streams\": -7}}}",
                "{\"defaults\": {\"system\": {\"streams\": 5}}, \"scopes\": {\"nowhere:x\": {}}}",
        }) {
            Files.writeString(file, bad);
            assertThatThrownBy(() -> LimitsFile.loadOrCreate(file, resources)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(resources.defaultLimits(ScopeKind.SYSTEM)).isEqualTo(before);
    }
}
