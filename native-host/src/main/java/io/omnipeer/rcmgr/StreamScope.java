package io.omnipeer.rcmgr;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;

/**
 * The reservation of one stream: a stream slot and {@link ResourceManager#STREAM_MEMORY} bytes in the stream,
 * connection, peer and system scopes from open; in its protocol's and app's scopes from {@link #setProtocol}.
 * {@link #done()} releases everything (call it when the stream channel closes; idempotent). Thread-safe.
 */
public final class StreamScope {
    private final ResourceManager manager;
    private final ConnectionScope connection;
    private final Direction direction;
    private final ResourceScope own;
    // guarded by manager.lock
    private final List<ResourceScope> path = new ArrayList<>();
    private long memory = ResourceManager.STREAM_MEMORY;
    private ResourceScope protocolScope;
    private AppAccount app;
    private boolean done;

    StreamScope(ResourceManager manager, ConnectionScope connection, Direction direction, ResourceScope own, ResourceScope peer) {
        this.manager = manager;
        this.connection = connection;
        this.direction = direction;
        this.own = own;
        path.add(own);
        path.add(connection.scope());
        path.add(peer);
        path.add(manager.system());
    }

    public Direction direction() {
        return direction;
    }

    /** The stream's own scope. */
    public ResourceScope scope() {
        return own;
    }

    /** The app this stream belongs to, or null for system traffic (known after {@link #setProtocol}). */
    public String appId() {
        synchronized (manager.lock) {
            return app == null ? null : app.id;
        }
    }

    /**
     * Moves the stream into {@code protocol}'s scope and, for {@code /omnipeer/app/X/...}, app X's scope (a new
     * connection for the app counts against its connection limit), then installs the {@link InboundThrottle} and {@link OutboundThrottle} first
     * in {@code channel}'s pipeline. Call on the stream's event loop right after protocol agreement, before the
     * protocol's handlers run.
     * @throws ResourceLimitException at a limit of the protocol or app scope (the caller resets the stream)
     */
    public void setProtocol(String protocol, Channel channel) {
        String appId = ResourceManager.appOf(protocol);
        AppAccount account = appId == null ? null : manager.app(appId);
        synchronized (manager.lock) {
            if (done || protocolScope != null) {
                throw new IllegalStateException(done ? "stream scope is done" : "protocol already set");
            }
            ResourceScope p = manager.protocolScopeLocked(protocol);
            boolean newAppConnection = account != null && !account.connectionStreams.containsKey(connection);
            try {
                check(p);
                if (account != null) {
                    check(account.scope);
                    if (newAppConnection) {
                        account.scope.checkConn(connection.direction());
                    }
                }
            } catch (ResourceLimitException e) {
                manager.collectLocked(p);
                throw e;
            }
            add(p);
            protocolScope = p;
            if (account != null) {
                add(account.scope);
                if (newAppConnection) {
                    account.scope.addConn(connection.direction(), 1);
                }
                account.connectionStreams.merge(connection, 1, Integer::sum);
                app = account;
            }
        }
        Traffic traffic = account == null ? manager.systemTraffic() : account.traffic;
        channel.pipeline().addFirst(OutboundThrottle.NAME, new OutboundThrottle(traffic, manager.global()));
        channel.pipeline().addFirst(InboundThrottle.NAME, new InboundThrottle(traffic, manager.global(), this));
    }

    private void check(ResourceScope s) {
        s.checkStream(direction);
        s.checkMemory(memory);
    }

    private void add(ResourceScope s) {
        s.addStream(direction, 1);
        s.addMemory(memory);
        path.add(s);
    }

    /**
     * Reserves {@code bytes} more buffered memory for this stream in every scope it belongs to (for components
     * that buffer beyond the yamux window).
     * @throws ResourceLimitException at a memory limit; nothing reserved
     */
    public void reserveMemory(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("bytes must be positive: " + bytes);
        }
        synchronized (manager.lock) {
            if (done) {
                throw new IllegalStateException("stream scope is done");
            }
            path.forEach(s -> s.checkMemory(bytes));
            path.forEach(s -> s.addMemory(bytes));
            memory += bytes;
        }
    }

    /** Gives back memory taken with {@link #reserveMemory} (at most what was reserved). */
    public void releaseMemory(long bytes) {
        synchronized (manager.lock) {
            long n = Math.min(bytes, memory - ResourceManager.STREAM_MEMORY);
            if (done || n <= 0) {
                return;
            }
            path.forEach(s -> s.addMemory(-n));
            memory -= n;
        }
    }

    /** Releases the stream from every scope; idempotent. */
    public void done() {
        synchronized (manager.lock) {
            if (done) {
                return;
            }
            done = true;
            for (ResourceScope s : path) {
                s.addStream(direction, -1);
                s.addMemory(-memory);
            }
            if (app != null) {
                Integer left = app.connectionStreams.merge(connection, -1, Integer::sum);
                if (left != null && left <= 0) {
                    app.connectionStreams.remove(connection);
                    app.scope.addConn(connection.direction(), -1);
                }
            }
            path.forEach(manager::collectLocked);
        }
    }

    @Override
    public String toString() {
        return own.name();
    }
}
