package io.omnipeer.host;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.protocol.identify.IdentifyService;
import io.omnipeer.protocol.ping.PingService;
import java.util.concurrent.TimeUnit;

/**
 * A second node in its own JVM for {@link SeparateProcessTest}: DefaultHost + identify + ping + echo on
 * 127.0.0.1, prints {@code LISTEN <multiaddr>} and exits when its stdin closes.
 */
public final class PeerProcessMain {
    private PeerProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        DefaultHost host = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-process-peer/0.1.0");
        new IdentifyService(host);
        new PingService(host);
        host.setStreamHandler(DefaultHostTest.ECHO, s -> s.channel().pipeline().addLast(new DefaultHostTest.EchoUntilFin(s)));
        host.listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")).get(10, TimeUnit.SECONDS);
        System.out.println("LISTEN " + host.listenAddresses().get(0).withPeerId(host.peerId()));
        System.out.flush();
        while (System.in.read() >= 0) {
            // Wait for the parent to close our stdin.
        }
        host.close().get(10, TimeUnit.SECONDS);
        System.exit(0);
    }
}
