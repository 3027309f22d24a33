package io.omnipeer.rcmgr;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One node of the scope DAG (system, app, peer, protocol, connection or stream): what it holds now and its
 * limits. Reservations go through {@link ResourceManager}, which checks every scope on a path before it changes
 * any, under its lock; this class only counts. Reading {@link #usage()} is thread-safe.
 */
public final class ResourceScope {
    private final String name;
    private final Supplier<ScopeLimits> limits;
    private final Object lock;
    private final Consumer<ResourceLimitException> onRefusal;
    // guarded by ResourceManager's lock
    private int connsInbound;
    private int connsOutbound;
    private int streamsInbound;
    private int streamsOutbound;
    private long memory;
    private long storage;

    ResourceScope(String name, Supplier<ScopeLimits> limits, Object lock, Consumer<ResourceLimitException> onRefusal) {
        this.name = name;
        this.lock = lock;
        this.onRefusal = onRefusal;
        this.limits = limits;
    }

    /** e.g. {@code system}, {@code app:org.example.chat}, {@code peer:12D3…}, {@code protocol:/ipfs/id/1.0.0}. */
    public String name() {
        return name;
    }

    /** The limits in force now (defaults of the scope's kind unless overridden). */
    public ScopeLimits limits() {
        return limits.get();
    }

    /** A snapshot of what this scope holds. */
    public ScopeUsage usage() {
        synchronized (lock) {
            return new ScopeUsage(connsInbound, connsOutbound, streamsInbound, streamsOutbound, memory, storage);
        }
    }

    boolean isIdle() {
        return connsInbound == 0 && connsOutbound == 0 && streamsInbound == 0 && streamsOutbound == 0 && memory == 0 && storage == 0;
    }

    // ---- checks (throw, change nothing) and changes; callers hold the manager's lock ----

    void checkConn(Direction d) {
        ScopeLimits l = limits.get();
        int same = d == Direction.INBOUND ? connsInbound : connsOutbound;
        check("connections " + d.label(), same, d == Direction.INBOUND ? l.connsInbound() : l.connsOutbound(), 1);
        check("connections", connsInbound + connsOutbound, l.conns(), 1);
    }

    void addConn(Direction d, int delta) {
        if (d == Direction.INBOUND) {
            connsInbound += delta;
        } else {
            connsOutbound += delta;
        }
    }

    void checkStream(Direction d) {
        ScopeLimits l = limits.get();
        int same = d == Direction.INBOUND ? streamsInbound : streamsOutbound;
        check("streams " + d.label(), same, d == Direction.INBOUND ? l.streamsInbound() : l.streamsOutbound(), 1);
        check("streams", streamsInbound + streamsOutbound, l.streams(), 1);
    }

    void addStream(Direction d, int delta) {
        if (d == Direction.INBOUND) {
            streamsInbound += delta;
        } else {
            streamsOutbound += delta;
        }
    }

    void checkMemory(long bytes) {
        check("memory", memory, limits.get().memory(), bytes);
    }

    void addMemory(long delta) {
        memory += delta;
    }

    void checkStorage(long bytes) {
        check("storage", storage, limits.get().storage(), bytes);
    }

    void addStorage(long delta) {
        storage = Math.max(0, storage + delta);
    }

    void setStorage(long bytes) {
        storage = bytes;
    }

    private void check(String limit, long current, long max, long requested) {
        if (requested > 0 && requested > max - current) {
            ResourceLimitException e = new ResourceLimitException(limit, name, current, max, requested);
            onRefusal.accept(e);
            throw e;
        }
    }

    @Override
    public String toString() {
        return "ResourceScope[" + name + "]";
    }
}
