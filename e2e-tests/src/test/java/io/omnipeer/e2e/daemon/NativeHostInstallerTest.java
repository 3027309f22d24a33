package io.omnipeer.e2e.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnipeer.e2e.browser.OmnipeerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** installer/native-host.sh writes one host manifest per browser under $HOME and removes them again. */
class NativeHostInstallerTest {
    @TempDir
    Path home;

    private String run(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = OmnipeerExtension.repoRoot().resolve("installer/native-host.sh").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void installWritesManifestsForChromiumAndFirefoxAndUninstallRemovesThem() throws Exception {
        run("install");
        Path chromium = home.resolve(".config/chromium/NativeMessagingHosts/io.omnipeer.native.json");
        Path firefox = home.resolve(".mozilla/native-messaging-hosts/io.omnipeer.native.json");
        ObjectMapper json = new ObjectMapper();
        JsonNode c = json.readTree(chromium.toFile());
        assertThat(c.path("name").asText()).isEqualTo("io.omnipeer.native");
        assertThat(c.path("type").asText()).isEqualTo("stdio");
        assertThat(Path.of(c.path("path").asText()).toRealPath())
                .isEqualTo(OmnipeerExtension.repoRoot().resolve("omnipeer").toRealPath());
        assertThat(c.path("allowed_origins").get(0).asText())
                .isEqualTo("chrome-extension://" + OmnipeerExtension.ID + "/");
        assertThat(json.readTree(firefox.toFile()).path("allowed_extensions").get(0).asText())
                .isEqualTo("omnipeer@omnipeer.io");

        Path moved = Files.copy(OmnipeerExtension.repoRoot().resolve("omnipeer"), home.resolve("omnipeer-moved"));
        run("install", "--launcher", moved.toString());
        assertThat(Path.of(json.readTree(chromium.toFile()).path("path").asText())).isEqualTo(moved);

        run("uninstall");
        assertThat(chromium).doesNotExist();
        assertThat(firefox).doesNotExist();
    }
}
