package io.omnipeer.dht;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a DHT node. Defaults follow libp2p/specs kad-dht/README.md ("Content provider advertisement and
 * discovery": records expire after 48 h and are republished every 22 h; "Bootstrap process": refresh every 10 min).
 *
 * @param mode              client or server (see {@link DhtMode})
 * @param lookup            k, alpha, disjoint paths and timeouts of lookups
 * @param quorum            GET_VALUE answers (the local record counts as one) after which a get stops early
 * @param recordTtl         how long a stored value record is served after it was received
 * @param providerTtl       provider record expiration interval
 * @param republishInterval how often our own provider records and values are published again
 * @param refreshInterval   how often the routing table is refreshed (self lookup + a random lookup per bucket)
 * @param maxRecords        value records kept (new keys are refused when full)
 * @param maxProviderKeys   keys with provider records kept
 * @param maxProvidersPerKey providers kept per key (the oldest is dropped)
 */
public record DhtConfig(DhtMode mode, LookupOptions lookup, int quorum, Duration recordTtl, Duration providerTtl,
                        Duration republishInterval, Duration refreshInterval, int maxRecords, int maxProviderKeys,
                        int maxProvidersPerKey) {
    public static final int DEFAULT_QUORUM = 3;
    public static final Duration DEFAULT_RECORD_TTL = Duration.ofHours(48);
    public static final Duration DEFAULT_PROVIDER_TTL = Duration.ofHours(48);
    public static final Duration DEFAULT_REPUBLISH_INTERVAL = Duration.ofHours(22);
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_RECORDS = 10_000;
    public static final int DEFAULT_MAX_PROVIDER_KEYS = 10_000;
    public static final int DEFAULT_MAX_PROVIDERS_PER_KEY = 64;

    public DhtConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(lookup, "lookup");
        if (quorum < 1 || maxRecords < 1 || maxProviderKeys < 1 || maxProvidersPerKey < 1) {
            throw new IllegalArgumentException("quorum and store bounds must be >= 1");
        }
        for (Duration d : new Duration[] {recordTtl, providerTtl, republishInterval, refreshInterval}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
    }

    public static DhtConfig defaults() {
        return new DhtConfig(DhtMode.SERVER, LookupOptions.defaults(), DEFAULT_QUORUM, DEFAULT_RECORD_TTL,
                DEFAULT_PROVIDER_TTL, DEFAULT_REPUBLISH_INTERVAL, DEFAULT_REFRESH_INTERVAL, DEFAULT_MAX_RECORDS,
                DEFAULT_MAX_PROVIDER_KEYS, DEFAULT_MAX_PROVIDERS_PER_KEY);
    }

    public DhtConfig withMode(DhtMode m) {
        return new DhtConfig(m, lookup, quorum, recordTtl, providerTtl, republishInterval, refreshInterval, maxRecords,
                maxProviderKeys, maxProvidersPerKey);
    }

    public DhtConfig withLookup(LookupOptions l) {
        return new DhtConfig(mode, l, quorum, recordTtl, providerTtl, republishInterval, refreshInterval, maxRecords,
                maxProviderKeys, maxProvidersPerKey);
    }

    public DhtConfig withQuorum(int q) {
        return new DhtConfig(mode, lookup, q, recordTtl, providerTtl, republishInterval, refreshInterval, maxRecords,
                maxProviderKeys, maxProvidersPerKey);
    }

    public DhtConfig withProviderTimes(Duration ttl, Duration republish) {
        return new DhtConfig(mode, lookup, quorum, recordTtl, ttl, republish, refreshInterval, maxRecords,
                maxProviderKeys, maxProvidersPerKey);
    }

    public DhtConfig withRefreshInterval(Duration r) {
        return new DhtConfig(mode, lookup, quorum, recordTtl, providerTtl, republishInterval, r, maxRecords,
                maxProviderKeys, maxProvidersPerKey);
    }

    public DhtConfig withStoreBounds(int records, int providerKeys, int providersPerKey) {
        return new DhtConfig(mode, lookup, quorum, recordTtl, providerTtl, republishInterval, refreshInterval, records,
                providerKeys, providersPerKey);
    }
}
