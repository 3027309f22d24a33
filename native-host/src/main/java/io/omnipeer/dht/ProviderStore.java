package io.omnipeer.dht;

import com.google.protobuf.ByteString;
import io.omnipeer.core.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provider records: which peers said (ADD_PROVIDER) they provide a key. A record expires {@code ttl} after it was
 * last added (spec default 48 h). Bounded: at most {@code maxKeys} keys (new keys refused when full of unexpired
 * ones) and {@code maxPerKey} providers per key (the least recently added is dropped for a new one).
 * Spec: libp2p/specs kad-dht/README.md, "Content provider advertisement and discovery". Thread-safe (synchronized).
 */
public final class ProviderStore {
    private final int maxKeys;
    private final int maxPerKey;
    private final Duration ttl;
    private final DhtTimer timer;
    /** key → provider → expiry, each inner map in order of last addition. */
    private final Map<ByteString, LinkedHashMap<PeerId, Instant>> byKey = new LinkedHashMap<>();

    public ProviderStore(int maxKeys, int maxPerKey, Duration ttl, DhtTimer timer) {
        this.maxKeys = maxKeys;
        this.maxPerKey = maxPerKey;
        this.ttl = ttl;
        this.timer = timer;
    }

    /**
     * Adds or refreshes {@code provider} for {@code key}.
     * @return false if refused because the store holds {@code maxKeys} other keys
     */
    public synchronized boolean add(byte[] key, PeerId provider) {
        ByteString k = ByteString.copyFrom(key);
        LinkedHashMap<PeerId, Instant> providers = byKey.get(k);
        if (providers == null) {
            if (byKey.size() >= maxKeys) {
                purgeExpired();
                if (byKey.size() >= maxKeys) {
                    return false;
                }
            }
            providers = new LinkedHashMap<>();
            byKey.put(k, providers);
        }
        providers.remove(provider);
        if (providers.size() >= maxPerKey) {
            Iterator<PeerId> oldest = providers.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        providers.put(provider, timer.now().plus(ttl));
        return true;
    }

    /** Up to {@code limit} unexpired providers of {@code key}, most recently added first. */
    public synchronized List<PeerId> providers(byte[] key, int limit) {
        LinkedHashMap<PeerId, Instant> providers = byKey.get(ByteString.copyFrom(key));
        if (providers == null) {
            return List.of();
        }
        Instant now = timer.now();
        providers.values().removeIf(expiry -> !expiry.isAfter(now));
        List<PeerId> out = new ArrayList<>(providers.keySet());
        Collections.reverse(out);
        return List.copyOf(out.subList(0, Math.min(limit, out.size())));
    }

    /** Drops expired records (and keys left without providers); returns how many records. */
    public synchronized int purgeExpired() {
        Instant now = timer.now();
        int removed = 0;
        for (Iterator<LinkedHashMap<PeerId, Instant>> it = byKey.values().iterator(); it.hasNext(); ) {
            LinkedHashMap<PeerId, Instant> providers = it.next();
            int before = providers.size();
            providers.values().removeIf(expiry -> !expiry.isAfter(now));
            removed += before - providers.size();
            if (providers.isEmpty()) {
                it.remove();
            }
        }
        return removed;
    }

    /** Number of keys with providers. */
    public synchronized int keyCount() {
        return byKey.size();
    }
}
