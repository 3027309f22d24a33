package io.omnipeer.host;

import io.omnipeer.core.Multiaddr;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Per-address dial backoff (go-libp2p swarm DialBackoff): after the n-th consecutive failure an address is skipped
 * for {@code min(base * 2^(n-1), max)}; a success clears it. Thread-safe.
 */
final class DialBackoff {
    /** Addresses remembered at once; the oldest entry goes first (a scan of many dead addresses cannot grow it). */
    static final int MAX_ENTRIES = 4096;

    private record Entry(int failures, long untilNanos) {
    }

    private final Duration base;
    private final Duration max;
    private final LongSupplier nanoClock;
    private final Map<Multiaddr, Entry> entries = new LinkedHashMap<>();

    DialBackoff(Duration base, Duration max, LongSupplier nanoClock) {
        this.base = base;
        this.max = max;
        this.nanoClock = nanoClock;
    }

    /** The time left in backoff for {@code address}, empty if it may be dialled now. */
    synchronized Optional<Duration> remaining(Multiaddr address) {
        Entry e = entries.get(address);
        if (e == null) {
            return Optional.empty();
        }
        long left = e.untilNanos() - nanoClock.getAsLong();
        return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
    }

    /** Consecutive failures recorded for {@code address}. */
    synchronized int failures(Multiaddr address) {
        Entry e = entries.get(address);
        return e == null ? 0 : e.failures();
    }

    synchronized void failed(Multiaddr address) {
        Entry old = entries.remove(address);
        int failures = old == null ? 1 : old.failures() + 1;
        long delay = base.toNanos() << Math.min(failures - 1, 30);
        if (delay < 0 || delay > max.toNanos()) {
            delay = max.toNanos();
        }
        entries.put(address, new Entry(failures, nanoClock.getAsLong() + delay));
        if (entries.size() > MAX_ENTRIES) {
            Iterator<Multiaddr> oldest = entries.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    synchronized void succeeded(Multiaddr address) {
        entries.remove(address);
    }
}
