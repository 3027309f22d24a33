package io.omnipeer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.node.Node;
import io.omnipeer.protocol.control.JsonRpcCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code omnipeer apps keygen|sign|install|list|info|disable|enable|remove} against a daemon on a real control socket. */
class AppsCliTest {
    @TempDir
    Path dataDir;
    @TempDir
    Path work;
    private CliDaemon daemon;
    private Node node;

    @BeforeEach
    void start() throws Exception {
        daemon = CliDaemon.start(dataDir);
        node = daemon.node();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private CliRun run(String... args) {
        return daemon.run(args);
    }

    private Path manifest(String version, String publisherKey) throws Exception {
        ObjectNode m = JsonRpcCodec.mapper().createObjectNode().put("id", "org.example.notes").put("name", "Notes")
                .put("version", version).put("publisherKey", publisherKey);
        m.putObject("entry").put("origin", "https://notes.example");
        m.putArray("capabilities").add("storage").add("pubsub:notes");
        m.putObject("resources").put("storageBytes", 4096);
        Path file = work.resolve("manifest-" + version + ".json");
        Files.writeString(file, m.toPrettyString());
        return file;
    }

    @Test
    void publisherSignsAndTheUserInstallsUpdatesDisablesAndRemoves() throws Exception {
        Path key = work.resolve("publisher.key");
        CliRun keygen = run("apps", "keygen", "--out", key.toString());
        assertThat(keygen.exit()).as(keygen.err()).isZero();
        String publisherKey = keygen.out().trim().substring("publisherKey ".length());

        CliRun signed = run("apps", "sign", "--key", key.toString(), manifest("1.0.0", publisherKey).toString());
        assertThat(signed.exit()).as(signed.err()).isZero();
        Path signedFile = Files.writeString(work.resolve("notes-1.0.0.signed.json"), signed.out());
        CliRun install = run("apps", "install", signedFile.toString());
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(install.out()).contains("installed org.example.notes 1.0.0 (enabled)", "storage, pubsub:notes");

        Path tampered = Files.writeString(work.resolve("tampered.json"), signed.out().replace("\"Notes\"", "\"Evil\""));
        CliRun refused = run("apps", "install", tampered.toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).contains("signature does not verify");

        CliRun older = run("apps", "install", Files.writeString(work.resolve("same.json"), signed.out()).toString());
        assertThat(older.exit()).isNotZero();
        assertThat(older.err()).contains("must have a version higher than 1.0.0");

        CliRun update = run("apps", "install", Files.writeString(work.resolve("notes-1.1.0.signed.json"),
                run("apps", "sign", "--key", key.toString(), manifest("1.1.0", publisherKey).toString()).out()).toString());
        assertThat(update.exit()).as(update.err()).isZero();
        assertThat(run("apps", "list").out()).contains("org.example.notes 1.1.0 (enabled)");
        assertThat(run("apps", "disable", "org.example.notes").out()).contains("(disabled)");
        assertThat(run("apps", "info", "org.example.notes").out()).contains("publisher:", "https://notes.example");
        assertThat(run("apps", "enable", "org.example.notes").out()).contains("(enabled)");
        assertThat(run("apps", "remove", "org.example.notes", "--purge").out()).contains("removed org.example.notes and its data");
        assertThat(run("apps", "list").out()).contains("no apps installed");
        assertThat(run("apps", "info", "org.example.notes").exit()).isNotZero();
    }

    @Test
    void theChatAppBundledWithTheExtensionSignsAndInstallsWithTheSignersKey() throws Exception {
        Path key = work.resolve("omnipeer.key");
        assertThat(run("apps", "keygen", "--out", key.toString()).exit()).isZero();
        Path shipped = Path.of("..", "extension", "apps", "org.omnipeer.chat", "app.json");
        CliRun signed = run("apps", "sign", "--key", key.toString(), shipped.toString());
        assertThat(signed.exit()).as(signed.err()).isZero();
        CliRun install = run("apps", "install", Files.writeString(work.resolve("chat.signed.json"), signed.out()).toString());
        assertThat(install.exit()).as(install.err()).isZero();
        assertThat(run("apps", "info", "org.omnipeer.chat").out()).contains("apps/org.omnipeer.chat/index.html");
    }
}
