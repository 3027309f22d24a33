package io.omnipeer.pubsub;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers message IDs for a time-to-live so a message is delivered and forwarded once.
 * Bounded by both TTL and entry count (oldest evicted first). Thread-safe.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.0.md, "seen cache" (floodsub uses the same idea).
 */
public final class SeenCache {
    private final long ttlMillis;
    private final int maxEntries;
    private final LinkedHashMap<ByteBuffer, Long> seenAt = new LinkedHashMap<>();

    /**
     * @param ttlMillis  how long an ID is remembered, in milliseconds
     * @param maxEntries most IDs kept at once; beyond it the oldest is forgotten early
     */
    public SeenCache(long ttlMillis, int maxEntries) {
        this.ttlMillis = ttlMillis;
        this.maxEntries = maxEntries;
    }

    /** Returns true and records the ID if it was not seen within the TTL; false for a duplicate. */
    public synchronized boolean firstSight(byte[] messageId, long nowMillis) {
        expire(nowMillis);
        ByteBuffer key = ByteBuffer.wrap(messageId.clone());
        if (seenAt.containsKey(key)) {
            return false;
        }
        seenAt.put(key, nowMillis);
        if (seenAt.size() > maxEntries) {
            Iterator<ByteBuffer> oldest = seenAt.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    /** True if the ID was seen within the TTL; does not record it. */
    public synchronized boolean contains(byte[] messageId, long nowMillis) {
        expire(nowMillis);
        return seenAt.containsKey(ByteBuffer.wrap(messageId));
    }

    /** Number of IDs currently remembered. */
    public synchronized int size() {
        return seenAt.size();
    }

    private void expire(long nowMillis) {
        Iterator<Map.Entry<ByteBuffer, Long>> it = seenAt.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<ByteBuffer, Long> entry = it.next();
            if (nowMillis - entry.getValue() < ttlMillis) {
                return;
            }
            it.remove();
        }
    }
}
