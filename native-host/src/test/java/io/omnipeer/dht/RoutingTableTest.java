package io.omnipeer.dht;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private static PeerId randomPeer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    @Test
    void keyDistanceIsXorAndSymmetric() {
        Key a = Key.of(new byte[] {1});
        Key b = Key.of(new byte[] {2});
        assertThat(a.distance(b)).isEqualTo(b.distance(a));
        assertThat(a.commonPrefixLength(a)).isEqualTo(Key.BITS);
        assertThat(a.compareDistance(a, b)).isNegative();
    }

    @Test
    void closestReturnsPeersSortedByXorDistance() {
        PeerId self = randomPeer();
        RoutingTable table = new RoutingTable(self, RoutingTable.DEFAULT_BUCKET_SIZE);
        List<PeerId> added = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            PeerId p = randomPeer();
            if (table.add(p)) {
                added.add(p);
            }
        }
        assertThat(table.add(self)).isFalse();
        assertThat(table.size()).isEqualTo(added.size());
        Key target = Key.of(new byte[] {42});
        added.sort(Comparator.comparing(Key::of, target::compareDistance));
        assertThat(table.closest(target, 20)).containsExactlyElementsOf(added.subList(0, Math.min(20, added.size())));
    }

    @Test
    void fullBucketRejectsNewcomers() {
        PeerId self = randomPeer();
        RoutingTable table = new RoutingTable(self, 2);
        int accepted = 0;
        for (int i = 0; i < 40; i++) {
            if (table.add(randomPeer())) {
                accepted++;
            }
        }
        // about half of random peers land in bucket 0, a quarter in bucket 1, ...: with k=2 few fit
        assertThat(accepted).isLessThan(40).isEqualTo(table.size());
    }

    @Test
    void listenersHearNewPeersAndRemovalsButNotRefreshes() {
        RoutingTable table = new RoutingTable(randomPeer(), RoutingTable.DEFAULT_BUCKET_SIZE);
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        table.addListener(new RoutingTableListener() {
            @Override
            public void onPeerAdded(PeerId peer) {
                events.add("+" + peer);
            }

            @Override
            public void onPeerRemoved(PeerId peer) {
                events.add("-" + peer);
            }
        });
        PeerId p = randomPeer();
        table.add(p);
        table.add(p);
        table.remove(p);
        table.remove(p);
        assertThat(events).containsExactly("+" + p, "-" + p);
    }
}
