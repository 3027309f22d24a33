package io.omnipeer.rcmgr;

import io.omnipeer.core.Connection;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.HostLimits;
import io.omnipeer.host.InMemoryPeerstore;
import java.util.concurrent.TimeUnit;

/** A real host on a free loopback port with its own {@link ResourceManager}, for rcmgr tests. */
final class Peer implements AutoCloseable {
    final ResourceManager resources;
    final DefaultHost host;

    Peer() throws Exception {
        this(new ResourceManager());
    }

    Peer(ResourceManager resources) throws Exception {
        this.resources = resources;
        host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer/test", HostLimits.DEFAULT, resources);
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
    }

    Multiaddr address() {
        return host.listenAddresses().get(0).withPeerId(host.peerId());
    }

    Connection dial(Peer other) throws Exception {
        return host.dial(other.address()).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        host.close().get(20, TimeUnit.SECONDS);
    }
}
