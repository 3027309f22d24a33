package io.omnipeer.host;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.protocol.identify.IdentifyService;
import io.omnipeer.protocol.ping.PingService;
import java.util.concurrent.TimeUnit;

/** A full node for tests: DefaultHost + identify + ping, listening on a free loopback port. */
final class TestNode implements AutoCloseable {
    final DefaultHost host;
    final IdentifyService identify;
    final PingService ping;

    TestNode() throws Exception {
        this(HostLimits.DEFAULT);
    }

    TestNode(HostLimits limits) throws Exception {
        host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer/0.1.0", limits);
        identify = new IdentifyService(host);
        ping = new PingService(host);
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
    }

    /** Our first listen address with /p2p/ appended. */
    Multiaddr address() {
        return host.listenAddresses().get(0).withPeerId(host.peerId());
    }

    @Override
    public void close() throws Exception {
        host.close().get(20, TimeUnit.SECONDS);
    }
}
