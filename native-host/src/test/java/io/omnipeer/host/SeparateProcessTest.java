package io.omnipeer.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnipeer.core.Connection;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.protocol.ping.PingService;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Our host against our host in another JVM over loopback TCP: dial, identify both ways, ping, 1 MiB echo. */
class SeparateProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void twoProcessesConnectIdentifyPingAndEcho() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process peer = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                PeerProcessMain.class.getName()).redirectErrorStream(true).start();
        try (TestNode local = new TestNode()) {
            BufferedReader out = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> listen = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (line.startsWith("LISTEN ")) {
                            return line.substring(7);
                        }
                    }
                    throw new IllegalStateException("peer process exited before listening");
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Multiaddr remote = Multiaddr.parse(listen.get(60, TimeUnit.SECONDS));
            Connection c = local.host.dial(remote).get(20, TimeUnit.SECONDS);
            assertThat(remote.peerId()).contains(c.remotePeer());
            await().atMost(WAIT).until(() -> local.host.peerstore().protocols(c.remotePeer()).contains(PingService.PROTOCOL_ID));
            assertThat(local.host.peerstore().agentVersion(c.remotePeer())).contains("omnipeer-process-peer/0.1.0");
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                micros.add(local.ping.ping(c.remotePeer()).get(10, TimeUnit.SECONDS).toNanos() / 1000);
            }
            byte[] payload = new byte[1024 * 1024];
            new Random(5).nextBytes(payload);
            assertThat(DefaultHostTest.echo(c, payload).get(60, TimeUnit.SECONDS)).isEqualTo(payload);
            micros.sort(null);
            System.out.println("FIGURE ping RTT to another JVM over loopback: median " + micros.get(micros.size() / 2) + " us");
        } finally {
            peer.getOutputStream().close();
            if (!peer.waitFor(20, TimeUnit.SECONDS)) {
                peer.destroyForcibly();
            }
        }
    }
}
