package io.omnipeer.rcmgr;

import io.omnipeer.rcmgr.ResourceManager.ScopeKind;
import java.util.EnumMap;
import java.util.Map;

/**
 * Default limits that scale with the machine, as go-libp2p's {@code ScalingLimitConfig} does: a base value plus an
 * increase per GiB of heap for memory and streams; connection counts stay fixed (the host's transport caps them
 * too). Generous on purpose: they stop runaway peers and apps, not normal use.
 */
public final class DefaultLimits {
    private static final long MIB = 1024 * 1024;
    private static final long GIB = 1024 * MIB;
    /** System memory: 256 MiB plus 256 MiB per GiB of heap (each stream holds 256 KiB of window). */
    static final long SYSTEM_MEMORY_BASE = 256 * MIB;
    static final long SYSTEM_MEMORY_PER_GIB = 256 * MIB;
    /** System streams each way: 4096 plus 1024 per GiB of heap. */
    static final int SYSTEM_STREAMS_BASE = 4096;
    static final int SYSTEM_STREAMS_PER_GIB = 1024;
    /** Connections at once, each way (the host's transport also caps the total at 256 by default). */
    static final int SYSTEM_CONNS = 512;
    /** One peer: connections (several are legal; dedup happens in the dialer), streams each way, memory. */
    static final int PEER_CONNS = 32;
    static final int PEER_STREAMS = 1024;
    static final long PEER_MEMORY = 256 * MIB;
    /** One app: streams each way and memory, whatever its manifest asks for bandwidth or storage. */
    static final int APP_STREAMS = 1024;
    static final long APP_MEMORY = 256 * MIB;
    /** One connection: the yamux session caps streams at 512 by default; memory for that many windows. */
    static final int CONNECTION_STREAMS = 1024;
    static final long CONNECTION_MEMORY = 256 * MIB;

    private DefaultLimits() {
    }

    /** Defaults per scope kind for a JVM whose maximum heap is {@code maxHeapBytes}. */
    public static Map<ScopeKind, ScopeLimits> forHeap(long maxHeapBytes) {
        long gib = Math.max(1, maxHeapBytes / GIB);
        int systemStreams = (int) Math.min(Integer.MAX_VALUE / 2, SYSTEM_STREAMS_BASE + SYSTEM_STREAMS_PER_GIB * gib);
        Map<ScopeKind, ScopeLimits> out = new EnumMap<>(ScopeKind.class);
        ScopeLimits u = ScopeLimits.UNLIMITED;
        out.put(ScopeKind.SYSTEM, u.withConns(SYSTEM_CONNS, SYSTEM_CONNS, 2 * SYSTEM_CONNS)
                .withStreams(systemStreams, systemStreams, 2 * systemStreams)
                .withMemory(SYSTEM_MEMORY_BASE + SYSTEM_MEMORY_PER_GIB * gib));
        out.put(ScopeKind.PEER, u.withConns(PEER_CONNS, PEER_CONNS, PEER_CONNS)
                .withStreams(PEER_STREAMS, PEER_STREAMS, 2 * PEER_STREAMS).withMemory(PEER_MEMORY));
        out.put(ScopeKind.APP, u.withStreams(APP_STREAMS, APP_STREAMS, 2 * APP_STREAMS).withMemory(APP_MEMORY));
        out.put(ScopeKind.PROTOCOL, u);
        out.put(ScopeKind.CONNECTION, u.withStreams(CONNECTION_STREAMS, CONNECTION_STREAMS, CONNECTION_STREAMS)
                .withMemory(CONNECTION_MEMORY));
        out.put(ScopeKind.STREAM, u);
        return out;
    }
}
