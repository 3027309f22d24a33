package io.omnipeer.pubsub.gossipsub;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real DefaultHosts on 127.0.0.1 with their routers; closes everything it made. */
final class LoopbackNet implements AutoCloseable {
    final List<DefaultHost> hosts = new ArrayList<>();
    final List<AutoCloseable> routers = new ArrayList<>();

    DefaultHost host() throws Exception {
        DefaultHost host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-test");
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(5, TimeUnit.SECONDS);
        hosts.add(host);
        return host;
    }

    GossipRouter gossip(GossipParams params) throws Exception {
        GossipRouter router = new GossipRouter(host(), params);
        router.start();
        routers.add(router);
        return router;
    }

    static void connect(DefaultHost from, DefaultHost to) throws Exception {
        from.dial(to.listenAddresses().getFirst().withPeerId(to.peerId())).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable router : routers) {
            router.close();
        }
        for (DefaultHost host : hosts) {
            host.close().get(30, TimeUnit.SECONDS); // close() itself waits up to 5 s for connections, then for the event loops
        }
    }
}
