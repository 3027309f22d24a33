package io.omnipeer.cli;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.node.Node;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The CLI against a daemon on a real control socket (the node is a test double; the socket is real). */
class CliTest {
    @TempDir
    Path dataDir;
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

    @Test
    void statusShowsTheNode() {
        CliRun run = run("status");
        assertThat(run.exit()).isZero();
        assertThat(run.out()).contains("peer id:         " + node.peerId()).contains("/ip4/127.0.0.1/tcp/4001")
                .contains("connected peers: 0");
    }

    @Test
    void dataDirOptionWorksAfterTheSubcommandToo() {
        StringWriter out = new StringWriter();
        int exit = OmnipeerCommand.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "status", "--data-dir", dataDir.toString());
        assertThat(exit).isZero();
        assertThat(out.toString()).contains(node.peerId().toString());
    }

    @Test
    void connectPingAndPeers() {
        PeerId remote = PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
        assertThat(run("connect", "/ip4/127.0.0.1/tcp/4010/p2p/" + remote).out()).isEqualTo("connected to " + remote + "\n");
        assertThat(run("ping", remote.toString()).out()).startsWith("pong from " + remote + ": 3.000 ms");
        assertThat(run("peers").out()).contains(remote + "  test/1  /ip4/127.0.0.1/tcp/4010");
    }

    @Test
    void grantsAddListRevoke() {
        assertThat(run("grants", "list").out()).isEqualTo("no grants\n");
        assertThat(run("grants", "add", "https://a.example", "pubsub:chat", "peers:read").out())
                .isEqualTo("https://a.example now holds 2 grant(s)\n");
        assertThat(run("grants", "list").out()).contains("https://a.example  pubsub:chat  20");
        assertThat(run("grants", "revoke", "https://a.example", "pubsub:chat").out()).isEqualTo("revoked 1 grant(s)\n");
        assertThat(run("grants", "revoke", "https://a.example").out()).isEqualTo("revoked 1 grant(s)\n");
        CliRun bad = run("grants", "add", "https://a.example", "bogus:all");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("omnipeer: invalid params: unknown capability kind \"bogus\" (error -32602)\n");
    }

    @Test
    void subscribePrintsMessagesUntilTheDaemonGoes() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> OmnipeerCommand.execute(
                new PrintWriter(out, true), new PrintWriter(err, true),
                "--data-dir", dataDir.toString(), "pubsub", "subscribe", "chat"));
        await().atMost(Duration.ofSeconds(10)).until(() -> err.toString().contains("subscribed to chat"));
        assertThat(run("pubsub", "publish", "chat", "hello world").exit()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> out.toString().contains(node.peerId() + ": hello world\n"));
        daemon.stopDaemon();
        assertThat(exit.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join()).isEqualTo(1);
        assertThat(err.toString()).contains("omnipeer: the daemon closed the connection (error 4900)");
    }

    @Test
    void noDaemonIsOneClearLineAndExitOne() {
        daemon.stopDaemon();
        CliRun run = run("status");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("omnipeer: daemon not running at " + dataDir.resolve("control.sock")
                + "; start it with ./omnipeer daemon --data-dir " + dataDir + "\n");
    }

    @Test
    void secondDaemonOnTheSameDataDirIsRefused() throws Exception {
        try (var lock = io.omnipeer.control.DataDirLock.acquire(dataDir)) {
            CliRun run = run("daemon", "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns");
            assertThat(run.exit()).isEqualTo(1);
            assertThat(run.err()).isEqualTo("omnipeer: a daemon is already running for " + dataDir + "\n");
        }
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("connect").exit()).isEqualTo(2);
        assertThat(run("frobnicate").exit()).isEqualTo(2);
        CliRun bare = run();
        assertThat(bare.exit()).isEqualTo(2);
        assertThat(bare.err()).contains("Usage: omnipeer");
        assertThat(run("grants").exit()).isEqualTo(2);
    }
}
