package io.omnipeer.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.protocol.control.JsonRpcCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NativeHostRegistrationTest {
    @TempDir
    Path tmp;

    @Test
    void extensionIdFollowsTheManifestKey() throws Exception {
        Path manifest = Path.of(System.getProperty("user.dir")).getParent().resolve("extension").resolve("manifest.json");
        String key = JsonRpcCodec.mapper().readTree(manifest.toFile()).get("key").asText();
        assertThat(NativeHostRegistration.extensionIdFromKey(key)).isEqualTo(NativeHostRegistration.EXTENSION_ID);
    }

    @Test
    void installsForChromiumAndPresentBrowsersThenRemoves() throws Exception {
        Path config = Files.createDirectories(tmp.resolve("config"));
        Files.createDirectories(config.resolve("google-chrome"));
        Path launcher = Files.writeString(tmp.resolve("omnipeer"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));

        List<Path> written = NativeHostRegistration.install(config, launcher, List.of(NativeHostRegistration.EXTENSION_ID));
        assertThat(written).containsExactly(
                config.resolve("chromium/NativeMessagingHosts/io.omnipeer.native.json"),
                config.resolve("google-chrome/NativeMessagingHosts/io.omnipeer.native.json"));
        JsonNode manifest = JsonRpcCodec.mapper().readTree(written.get(0).toFile());
        assertThat(manifest.get("name").asText()).isEqualTo("io.omnipeer.native");
        assertThat(manifest.get("type").asText()).isEqualTo("stdio");
        assertThat(manifest.get("path").asText()).isEqualTo(launcher.toString());
        assertThat(manifest.get("allowed_origins").get(0).asText())
                .isEqualTo("chrome-extension://" + NativeHostRegistration.EXTENSION_ID + "/");

        assertThat(NativeHostRegistration.uninstall(config)).hasSize(2);
        assertThat(written.get(0)).doesNotExist();
    }

    @Test
    void refusesANonExecutableLauncherAndMalformedIds() throws Exception {
        Path config = tmp.resolve("config");
        Path script = Files.writeString(tmp.resolve("omnipeer"), "");
        assertThatThrownBy(() -> NativeHostRegistration.install(config, script, List.of(NativeHostRegistration.EXTENSION_ID)))
                .isInstanceOf(IllegalArgumentException.class);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> NativeHostRegistration.install(config, script, List.of("not-an-id")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
