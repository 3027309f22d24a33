package io.omnipeer.dht;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.protocol.identify.IdentifyService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real hosts on 127.0.0.1, each with identify and a KadDht; closes everything it made. */
final class DhtLoopbackNet implements AutoCloseable {
    final List<DefaultHost> hosts = new ArrayList<>();
    final List<KadDht> dhts = new ArrayList<>();

    static DhtConfig testConfig() {
        return DhtConfig.defaults().withLookup(DhtConfig.defaults().lookup().withRequestTimeout(Duration.ofSeconds(5)));
    }

    DefaultHost host() throws Exception {
        DefaultHost host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-dht-test");
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(5, TimeUnit.SECONDS);
        hosts.add(host);
        return host;
    }

    KadDht dht(DhtConfig config) throws Exception {
        DefaultHost host = host();
        KadDht dht = new KadDht(host, new IdentifyService(host), config);
        dhts.add(dht);
        return dht;
    }

    static void connect(DefaultHost from, DefaultHost to) throws Exception {
        from.dial(to.listenAddresses().getFirst().withPeerId(to.peerId())).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        for (KadDht d : dhts) {
            d.close();
        }
        for (DefaultHost host : hosts) {
            host.close().get(30, TimeUnit.SECONDS); // close() itself waits up to 5 s for connections, then for the event loops
        }
    }
}
