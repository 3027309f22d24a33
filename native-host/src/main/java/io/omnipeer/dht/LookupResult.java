package io.omnipeer.dht;

import java.time.Duration;
import java.util.List;

/**
 * Outcome of one {@link IterativeLookup}.
 *
 * @param closest   up to k peers that answered, closest to the target first
 * @param queried   requests sent (answered, failed or still running when the lookup ended)
 * @param failed    requests that failed or timed out
 * @param hops      depth at which the closest answering peer was learned: 1 = it was one of the seeds, 2 = a seed
 *                  named it, ...; 0 when nobody answered
 * @param elapsed   time from start to end, by the lookup's {@link DhtTimer}
 * @param satisfied true if the caller's stop condition ended the lookup early (value or providers found)
 */
public record LookupResult(List<DhtPeer> closest, int queried, int failed, int hops, Duration elapsed,
                           boolean satisfied) {
    public LookupResult {
        closest = List.copyOf(closest);
    }
}
