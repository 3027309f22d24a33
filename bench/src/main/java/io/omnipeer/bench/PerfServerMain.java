package io.omnipeer.bench;

import io.omnipeer.core.Connection;
import io.omnipeer.core.ConnectionListener;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.protocol.perf.PerfService;
import java.util.concurrent.TimeUnit;

/**
 * Our perf server as its own process: a {@link DefaultHost} (TCP + Noise + yamux) answering {@code /perf/1.0.0}.
 * Prints {@code {"event":"ready","peerId","addrs"}}, then {@code {"event":"peer:connect","peerId"}} for every
 * inbound connection; exits when stdin closes. Usage: {@code PerfServerMain [--listen MULTIADDR]}.
 */
public final class PerfServerMain {
    private PerfServerMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        DefaultHost host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-bench/0.1");
        new PerfService(host);
        host.addConnectionListener(new ConnectionListener() {
            @Override
            public void onConnected(Connection c) {
                JsonLines.emit(JsonLines.event("peer:connect").put("peerId", c.remotePeer().toBase58()));
            }
        });
        host.listen(Multiaddr.parse(args.get("listen", "/ip4/127.0.0.1/tcp/0"))).get(10, TimeUnit.SECONDS);
        var ready = JsonLines.event("ready").put("peerId", host.peerId().toBase58());
        var addrs = ready.putArray("addrs");
        host.listenAddresses().forEach(a -> addrs.add(a.withPeerId(host.peerId()).toString()));
        JsonLines.emit(ready);
        JsonLines.awaitStdinClosed();
        host.close().get(10, TimeUnit.SECONDS);
        System.exit(0);
    }
}
