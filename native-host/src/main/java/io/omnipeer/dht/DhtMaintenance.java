package io.omnipeer.dht;

import io.omnipeer.core.Multihash;
import io.omnipeer.core.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic work of a {@link Kademlia} node, on its {@link DhtTimer}: routing-table refresh (a lookup for our own ID,
 * then one for a random ID in each non-empty bucket) at start and every refresh interval; republishing our values
 * and provider records every republish interval; dropping expired records. Spec: libp2p/specs kad-dht/README.md,
 * "Bootstrap process" and "Content provider advertisement and discovery". Thread-safe.
 */
final class DhtMaintenance {
    /**
     * Random-walk targets are made for buckets up to this common-prefix length: finding an ID with a longer shared
     * prefix by hashing costs 2^(cpl+1) tries; deeper buckets are covered by the self lookup.
     */
    static final int MAX_REFRESH_CPL = 15;
    private static final Logger LOG = LoggerFactory.getLogger(DhtMaintenance.class);

    private final Kademlia dht;
    private final List<DhtTimer.Cancellable[]> slots = new ArrayList<>();
    private boolean closed;

    DhtMaintenance(Kademlia dht) {
        this.dht = dht;
    }

    synchronized void start() {
        DhtConfig c = dht.config();
        every(Duration.ZERO, c.refreshInterval(), this::refresh);
        every(c.republishInterval(), c.republishInterval(), () -> CompletableFuture.allOf(
                dht.valueOperations().republish(), dht.providerOperations().republish()));
        every(c.refreshInterval(), c.refreshInterval(), () -> {
            dht.records().purgeExpired();
            dht.providers().purgeExpired();
            return CompletableFuture.completedFuture(null);
        });
    }

    synchronized void close() {
        closed = true;
        for (DhtTimer.Cancellable[] slot : slots) {
            if (slot[0] != null) {
                slot[0].cancel();
            }
        }
        slots.clear();
    }

    /** Runs {@code task} after {@code first}, then {@code period} after each run finished, until {@link #close}. */
    private void every(Duration first, Duration period, Supplier<CompletableFuture<?>> task) {
        DhtTimer.Cancellable[] slot = new DhtTimer.Cancellable[1];
        slots.add(slot);
        schedule(slot, first, period, task);
    }

    private synchronized void schedule(DhtTimer.Cancellable[] slot, Duration delay, Duration period,
                                       Supplier<CompletableFuture<?>> task) {
        if (closed) {
            return;
        }
        slot[0] = dht.timer().schedule(delay, () -> {
            CompletableFuture<?> run;
            try {
                run = task.get();
            } catch (RuntimeException e) {
                run = CompletableFuture.failedFuture(e);
            }
            run.whenComplete((v, e) -> {
                if (e != null) {
                    LOG.debug("dht maintenance task failed: {}", e.toString());
                }
                schedule(slot, period, period, task);
            });
        });
    }

    /** Self lookup, then one random lookup per non-empty bucket (up to {@link #MAX_REFRESH_CPL}). */
    CompletableFuture<Void> refresh() {
        return dht.findClosest(dht.self().bytes()).thenCompose(self -> {
            List<CompletableFuture<?>> walks = new ArrayList<>();
            for (int cpl : dht.routingTable().nonEmptyBuckets()) {
                if (cpl <= MAX_REFRESH_CPL) {
                    walks.add(dht.findClosest(randomIdWithCpl(cpl).bytes()));
                }
            }
            return CompletableFuture.allOf(walks.toArray(CompletableFuture[]::new));
        });
    }

    /** A random (sha2-256 multihash) peer ID sharing exactly {@code cpl} leading key bits with us. */
    PeerId randomIdWithCpl(int cpl) {
        Key self = Key.of(dht.self());
        byte[] digest = new byte[32];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true) {
            random.nextBytes(digest);
            PeerId candidate = PeerId.fromBytes(new Multihash(Multihash.SHA2_256, digest).bytes());
            if (self.commonPrefixLength(Key.of(candidate)) == cpl) {
                return candidate;
            }
        }
    }
}
