package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnipeer.core.PeerId;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Lookup figures on 1,000 nodes in virtual time (10 ms per message each way) with converged routing tables: hops,
 * requests and virtual duration for alpha = 3 on one path and on three disjoint paths. Printed as
 * {@code DHT-FIGURES} lines; asserted is only that each lookup finds the true closest peer.
 */
class LookupFiguresTest {
    @Test
    void thousandNodes() {
        for (int paths : new int[] {1, 3}) {
            MemoryNetwork net = new MemoryNetwork(Duration.ofMillis(10));
            DhtConfig c = DhtConfig.defaults().withLookup(LookupOptions.defaults().withDisjointPaths(paths));
            List<Kademlia> nodes = net.nodes(1000, c);
            MemoryNetwork.wire(nodes, 0, new Random(42));
            Random random = new Random(7);
            int lookups = 50;
            long hops = 0;
            long queried = 0;
            long millis = 0;
            int exact = 0;
            for (int i = 0; i < lookups; i++) {
                Kademlia origin = nodes.get(random.nextInt(nodes.size()));
                byte[] key = new byte[8];
                random.nextBytes(key);
                LookupResult r = net.await(origin.findClosest(key));
                Key target = Key.of(key);
                PeerId best = nodes.stream().map(Kademlia::self).filter(p -> !p.equals(origin.self()))
                        .min(Comparator.comparing(Key::of, target::compareDistance)).orElseThrow();
                if (r.closest().getFirst().id().equals(best)) {
                    exact++;
                }
                hops += r.hops();
                queried += r.queried();
                millis += r.elapsed().toMillis();
            }
            System.out.printf("DHT-FIGURES virtual 1000 nodes alpha=3 paths=%d: mean hops %.2f, mean requests %.1f,"
                    + " mean virtual time %d ms, closest found %d/%d%n", paths, hops / (double) lookups,
                    queried / (double) lookups, millis / lookups, exact, lookups);
            assertThat(exact).isEqualTo(lookups);
        }
    }
}
