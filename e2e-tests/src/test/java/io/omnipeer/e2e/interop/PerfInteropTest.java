package io.omnipeer.e2e.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.core.Connection;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.protocol.perf.PerfResult;
import io.omnipeer.protocol.perf.PerfService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /perf/1.0.0} (libp2p/specs perf/perf.md) between our {@link PerfService} and js-libp2p
 * ({@code e2e-tests/js/perf.mjs}) in both roles, over TCP + Noise + yamux on loopback: single and 16 parallel
 * streams on one connection, and js opening fresh connections to us.
 */
class PerfInteropTest {
    private static final int MIB = 1024 * 1024;

    static DefaultHost host;
    static PerfService perf;
    static Multiaddr ourAddr;

    @BeforeAll
    static void start() throws Exception {
        host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-perf-interop/0.1");
        perf = new PerfService(host);
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        ourAddr = host.listenAddresses().getFirst().withPeerId(host.peerId());
    }

    @AfterAll
    static void stop() throws Exception {
        if (host != null) host.close().get(10, TimeUnit.SECONDS);
    }

    @Test
    void weRunPerfAgainstJs() throws Exception {
        try (JsPerf js = JsPerf.server()) {
            Connection c = host.dial(js.addr()).get(20, TimeUnit.SECONDS);
            assertThat(c.remotePeer()).isEqualTo(js.peerId());

            PerfResult up = perf.run(c, 4L * MIB, 0).get(60, TimeUnit.SECONDS);
            PerfResult down = perf.run(c, 0, 4L * MIB).get(60, TimeUnit.SECONDS);
            PerfResult small = perf.run(js.peerId(), 3, 5).get(60, TimeUnit.SECONDS);
            assertThat(up.uploadBytes()).isEqualTo(4L * MIB);
            assertThat(down.downloadBytes()).isEqualTo(4L * MIB);
            assertThat(small.uploadBytes()).isEqualTo(3);
            assertThat(small.downloadBytes()).isEqualTo(5);

            List<CompletableFuture<PerfResult>> parallel = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                parallel.add(perf.run(c, MIB / 4, MIB / 2));
            }
            CompletableFuture.allOf(parallel.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            parallel.forEach(f -> assertThat(f.join().downloadBytes()).isEqualTo(MIB / 2));
            System.out.printf("FIGURE perf we->js 4 MiB one stream: upload %.2f Gb/s, download %.2f Gb/s%n",
                    up.gbps(), down.gbps());
        }
    }

    @Test
    void jsRunsPerfAgainstUs() throws Exception {
        List<JsonNode> single = JsPerf.client(ourAddr, 2L * MIB, 3L * MIB, 1, 2);
        assertThat(single).hasSize(2).allSatisfy(r -> {
            assertThat(r.get("uploadBytes").asLong()).isEqualTo(2L * MIB);
            assertThat(r.get("downloadBytes").asLong()).isEqualTo(3L * MIB);
        });
        List<JsonNode> parallel = JsPerf.client(ourAddr, MIB / 4, MIB / 2, 16, 1);
        assertThat(parallel).singleElement().satisfies(r -> {
            assertThat(r.get("streams").asInt()).isEqualTo(16);
            assertThat(r.get("downloadBytes").asLong()).isEqualTo(8L * MIB);
        });
    }

    @Test
    void jsOpensFreshConnectionsWithOneByteRoundTrips() throws Exception {
        List<JsonNode> connects = JsPerf.connect(ourAddr, 5);
        assertThat(connects).hasSize(5).allSatisfy(r -> assertThat(r.get("ms").asDouble()).isPositive());
    }
}
