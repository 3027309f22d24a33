package io.omnipeer.rcmgr;

import io.omnipeer.core.PeerId;

/**
 * The reservation of one connection: in the system scope from {@link ResourceManager#openConnection}, in its
 * peer's scope from {@link #setPeer}. Streams on it are opened with {@link #openStream}. {@link #done()} releases
 * the connection (call it when the channel closes; idempotent). Thread-safe.
 */
public final class ConnectionScope {
    private final ResourceManager manager;
    private final Direction direction;
    private final ResourceScope scope;
    // guarded by manager.lock
    private ResourceScope peer;
    private boolean done;

    ConnectionScope(ResourceManager manager, Direction direction, ResourceScope scope) {
        this.manager = manager;
        this.direction = direction;
        this.scope = scope;
    }

    public Direction direction() {
        return direction;
    }

    /** This connection's own scope (its streams and their memory). */
    public ResourceScope scope() {
        return scope;
    }

    /**
     * Adds the connection to {@code peer}'s scope, once the security handshake authenticated it.
     * @throws ResourceLimitException at the peer's connection limits (the caller closes the connection)
     * @throws IllegalStateException  if a peer was set already or the scope is done
     */
    public void setPeer(PeerId remote) {
        synchronized (manager.lock) {
            if (done || peer != null) {
                throw new IllegalStateException(done ? "connection scope is done" : "peer already set");
            }
            ResourceScope p = manager.peerScopeLocked(remote);
            try {
                p.checkConn(direction);
            } catch (ResourceLimitException e) {
                manager.collectLocked(p);
                throw e;
            }
            p.addConn(direction, 1);
            peer = p;
        }
    }

    /**
     * Reserves a stream (and {@link ResourceManager#STREAM_MEMORY}) in this connection, its peer and the system.
     * @throws ResourceLimitException at a stream or memory limit of one of them
     * @throws IllegalStateException  if the connection is done or its peer not yet set
     */
    public StreamScope openStream(Direction streamDirection) {
        ResourceScope own = manager.newStreamScope();
        synchronized (manager.lock) {
            if (done || peer == null) {
                throw new IllegalStateException(done ? "connection scope is done" : "peer not set");
            }
            ResourceScope[] path = {own, scope, peer, manager.system()};
            for (ResourceScope s : path) {
                s.checkStream(streamDirection);
                s.checkMemory(ResourceManager.STREAM_MEMORY);
            }
            for (ResourceScope s : path) {
                s.addStream(streamDirection, 1);
                s.addMemory(ResourceManager.STREAM_MEMORY);
            }
            return new StreamScope(manager, this, streamDirection, own, peer);
        }
    }

    /** Releases the connection from the system and peer scopes; idempotent. */
    public void done() {
        synchronized (manager.lock) {
            if (done) {
                return;
            }
            done = true;
            scope.addConn(direction, -1);
            manager.system().addConn(direction, -1);
            if (peer != null) {
                peer.addConn(direction, -1);
                manager.collectLocked(peer);
            }
        }
    }

    @Override
    public String toString() {
        return scope.name();
    }
}
