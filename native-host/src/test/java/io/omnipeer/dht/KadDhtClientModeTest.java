package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.omnipeer.core.Multihash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Client mode (kad-dht/README.md, "Client and server mode"): a client neither advertises nor answers
 * {@code /ipfs/kad/1.0.0}, so servers keep it out of their routing tables, yet it can query them.
 */
class KadDhtClientModeTest {
    @Test
    void aClientQueriesButStaysOutOfRoutingTables() throws Exception {
        try (DhtLoopbackNet net = new DhtLoopbackNet()) {
            KadDht server1 = net.dht(DhtLoopbackNet.testConfig());
            KadDht server2 = net.dht(DhtLoopbackNet.testConfig());
            KadDht client = net.dht(DhtLoopbackNet.testConfig().withMode(DhtMode.CLIENT));
            server1.start();
            server2.start();
            client.start();
            DhtLoopbackNet.connect(net.hosts.get(1), net.hosts.get(0));
            DhtLoopbackNet.connect(net.hosts.get(2), net.hosts.get(0));
            await().atMost(Duration.ofSeconds(20)).until(() -> client.routingTable().contains(net.hosts.get(0).peerId())
                    && server1.routingTable().contains(net.hosts.get(1).peerId()));
            assertThat(client.isServer()).isFalse();
            assertThat(net.hosts.get(2).supportedProtocols()).doesNotContain(KadDht.PROTOCOL);

            byte[] cid = Multihash.sha256("client data".getBytes(StandardCharsets.UTF_8)).bytes();
            assertThat(server2.provide(cid).get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(1);
            List<DhtPeer> providers = client.findProviders(cid, 1).get(30, TimeUnit.SECONDS);
            assertThat(providers).extracting(DhtPeer::id).containsExactly(net.hosts.get(1).peerId());
            assertThat(client.findPeer(net.hosts.get(1).peerId()).get(30, TimeUnit.SECONDS)).isPresent();

            assertThat(server1.routingTablePeers()).doesNotContain(net.hosts.get(2).peerId());
            assertThat(server2.routingTablePeers()).doesNotContain(net.hosts.get(2).peerId());
        }
    }
}
