package io.omnipeer.sim;

import io.omnipeer.dht.Key;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ConvergedTablesTest {

    @Test
    void everyBucketGetsMinOfKAndItsPopulationFromTheRightKeyspaceRange() {
        EventScheduler clock = new EventScheduler();
        Overlay overlay = new Overlay(clock, new LinkLatency(1, 10, 100), new Random(1));
        List<SimNode> nodes = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            SimNode n = overlay.addNode(false);
            n.dhtKey = Key.of(n.id());
            nodes.add(n);
        }
        int k = 5;
        Map<SimNode, Set<SimNode>> tables = new HashMap<>();
        ConvergedTables.fill(nodes, k, new Random(2), (node, peer) -> tables.computeIfAbsent(node, x -> new HashSet<>()).add(peer));

        for (SimNode self : nodes) {
            Map<Integer, Integer> population = new HashMap<>();
            for (SimNode other : nodes) {
                if (other != self) {
                    population.merge(self.dhtKey.commonPrefixLength(other.dhtKey), 1, Integer::sum);
                }
            }
            Map<Integer, Integer> chosen = new HashMap<>();
            for (SimNode peer : tables.getOrDefault(self, Set.of())) {
                assertThat(peer).isNotSameAs(self);
                chosen.merge(self.dhtKey.commonPrefixLength(peer.dhtKey), 1, Integer::sum);
            }
            population.forEach((cpl, count) -> assertThat(chosen.getOrDefault(cpl, 0))
                    .as("bucket %d of %s", cpl, self).isEqualTo(Math.min(k, count)));
            assertThat(chosen.keySet()).isSubsetOf(population.keySet());
        }
    }
}
