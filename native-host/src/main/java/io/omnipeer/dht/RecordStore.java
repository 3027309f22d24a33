package io.omnipeer.dht;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Value records this node stores for the DHT (its own puts and other peers' PUT_VALUE), each served until
 * {@code ttl} after it was received. Bounded: at most {@code maxRecords} keys; when full (after dropping expired
 * records) a new key is refused rather than evicting another, so a flood of puts cannot push out valid records.
 * Spec: libp2p/specs kad-dht/README.md, "Value storage and retrieval". Thread-safe (synchronized).
 */
public final class RecordStore {
    /**
     * One stored record.
     * @param key      the DHT key
     * @param value    the value (already validated)
     * @param received when we received (or wrote) it
     */
    public record StoredRecord(byte[] key, byte[] value, Instant received) {
    }

    private final int maxRecords;
    private final Duration ttl;
    private final DhtTimer timer;
    private final Map<ByteString, StoredRecord> records = new LinkedHashMap<>();

    public RecordStore(int maxRecords, Duration ttl, DhtTimer timer) {
        this.maxRecords = maxRecords;
        this.ttl = ttl;
        this.timer = timer;
    }

    /** The unexpired record under {@code key}. */
    public synchronized Optional<StoredRecord> get(byte[] key) {
        ByteString k = ByteString.copyFrom(key);
        StoredRecord r = records.get(k);
        if (r == null) {
            return Optional.empty();
        }
        if (expired(r, timer.now())) {
            records.remove(k);
            return Optional.empty();
        }
        return Optional.of(r);
    }

    /**
     * Stores (or replaces) the value under {@code key}, received now.
     * @return false if the store is full of other unexpired keys
     */
    public synchronized boolean put(byte[] key, byte[] value) {
        ByteString k = ByteString.copyFrom(key);
        Instant now = timer.now();
        if (!records.containsKey(k) && records.size() >= maxRecords) {
            purgeExpired();
            if (records.size() >= maxRecords) {
                return false;
            }
        }
        records.put(k, new StoredRecord(key.clone(), value.clone(), now));
        return true;
    }

    /** Drops expired records; returns how many. */
    public synchronized int purgeExpired() {
        Instant now = timer.now();
        int before = records.size();
        records.values().removeIf(r -> expired(r, now));
        return before - records.size();
    }

    public synchronized int size() {
        return records.size();
    }

    private boolean expired(StoredRecord r, Instant now) {
        return !r.received().plus(ttl).isAfter(now);
    }
}
