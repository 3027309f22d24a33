package io.omnipeer.bench.jmh;

import com.google.protobuf.ByteString;
import io.omnipeer.pubsub.MessageSigning;
import io.omnipeer.pubsub.SeenCache;
import io.omnipeer.pubsub.pb.PubsubProtos.Message;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-message pubsub bookkeeping on the receive path: the message ID ({@code from || seqno}, pubsub/README.md
 * "Message Identification") and the seen-cache lookup+insert with the router's bounds (2 min TTL; a full cache of
 * 100,000 IDs (GossipRouter.MAX_SEEN_ENTRIES) evicting the oldest on each new one).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PubsubBench {
    private static final int CACHE_ENTRIES = 100_000;
    private Message message;
    private SeenCache seen;
    private long seqno;
    private final byte[] id = new byte[46];

    @Setup
    public void setUp() {
        byte[] from = new byte[38];
        from[0] = 0;
        from[1] = 36;
        message = Message.newBuilder().setFrom(ByteString.copyFrom(from))
                .setSeqno(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(42).array()))
                .setTopic("chat").setData(ByteString.copyFrom(new byte[256])).build();
        seen = new SeenCache(120_000, CACHE_ENTRIES);
        for (int i = 0; i < CACHE_ENTRIES; i++) {
            seen.firstSight(nextId(), 0);
        }
    }

    private byte[] nextId() {
        ByteBuffer.wrap(id, 38, 8).putLong(seqno++);
        return id;
    }

    @Benchmark
    public byte[] messageId() {
        return MessageSigning.messageId(message);
    }

    /** A new ID: miss, insert, evict the oldest. */
    @Benchmark
    public boolean seenCacheNewId() {
        return seen.firstSight(nextId(), 1);
    }

    /** A duplicate (the common case under gossip): hit. */
    @Benchmark
    public boolean seenCacheDuplicate() {
        ByteBuffer.wrap(id, 38, 8).putLong(seqno - 1);
        return seen.firstSight(id, 1);
    }
}
