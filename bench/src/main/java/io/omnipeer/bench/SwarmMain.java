package io.omnipeer.bench;

import io.omnipeer.core.Host;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import io.omnipeer.host.DefaultHost;
import io.omnipeer.host.InMemoryPeerstore;
import io.omnipeer.protocol.identify.IdentifyService;
import io.omnipeer.protocol.ping.PingService;
import io.omnipeer.pubsub.floodsub.FloodsubRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Many lightweight peers in one process, for footprint runs: {@code --peers N} hosts (DefaultHost + identify + ping +
 * floodsub, dial-only), each dialling every {@code --target MULTIADDR}. Prints
 * {@code {"event":"ready","connections":C}} once every dial finished, then idles until stdin closes.
 */
public final class SwarmMain {
    private SwarmMain() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = Args.parse(argv);
        int peers = args.getInt("peers", 1);
        List<Multiaddr> targets = args.all("target").stream().map(Multiaddr::parse).toList();
        List<Host> hosts = new ArrayList<>();
        List<CompletableFuture<?>> dials = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            DefaultHost h = new DefaultHost(Ed25519PrivateKey.generate(), new InMemoryPeerstore(), "omnipeer-swarm/0.1");
            new IdentifyService(h);
            new PingService(h);
            new FloodsubRouter(h);
            hosts.add(h);
            for (Multiaddr t : targets) {
                dials.add(h.dial(t));
                if (dials.size() % 16 == 0) {
                    // Do not flood the target's accept queue and handshakes all at once.
                    CompletableFuture.allOf(dials.subList(dials.size() - 16, dials.size())
                            .toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
                }
            }
        }
        CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        int connections = hosts.stream().mapToInt(h -> h.connections().size()).sum();
        JsonLines.emit(JsonLines.event("ready").put("connections", connections));
        JsonLines.awaitStdinClosed();
        for (Host h : hosts) {
            h.close().get(10, TimeUnit.SECONDS);
        }
        System.exit(0);
    }
}
