package io.omnipeer.host;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Peerstore;
import io.omnipeer.core.PeerstoreListener;
import io.omnipeer.core.crypto.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Peerstore} in memory. Thread-safe: each peer's record is guarded by its own lock; listeners run on the
 * calling thread after the change. Bounded: at most {@link #MAX_PEERS} peers, {@link #MAX_ADDRESSES_PER_PEER}
 * addresses (oldest dropped first) and {@link #MAX_PROTOCOLS_PER_PEER} protocols per peer.
 */
public final class InMemoryPeerstore implements Peerstore {
    /** Peers we keep; new peers beyond it are not recorded (logged once per peer). */
    public static final int MAX_PEERS = 10_000;
    /** Addresses per peer; identify may carry many, a few are enough to dial. */
    public static final int MAX_ADDRESSES_PER_PEER = 32;
    /** Protocols per peer; go-libp2p and js-libp2p advertise a few dozen at most. */
    public static final int MAX_PROTOCOLS_PER_PEER = 256;
    /** Longest agent version string kept, in characters. */
    public static final int MAX_AGENT_VERSION_LENGTH = 256;

    private static final Logger LOG = LoggerFactory.getLogger(InMemoryPeerstore.class);

    private static final class Record {
        final LinkedHashSet<Multiaddr> addresses = new LinkedHashSet<>();
        Set<String> protocols = Set.of();
        String agentVersion;
        PublicKey publicKey;
    }

    private final Map<PeerId, Record> records = new ConcurrentHashMap<>();
    private final List<PeerstoreListener> listeners = new CopyOnWriteArrayList<>();

    private Record record(PeerId peer) {
        Record r = records.get(peer);
        if (r != null) {
            return r;
        }
        if (records.size() >= MAX_PEERS) {
            LOG.warn("peerstore full ({} peers), not recording {}", MAX_PEERS, peer);
            return new Record();
        }
        return records.computeIfAbsent(peer, p -> new Record());
    }

    private Optional<Record> existing(PeerId peer) {
        return Optional.ofNullable(records.get(peer));
    }

    @Override
    public void addAddresses(PeerId peer, Collection<Multiaddr> addresses) {
        Record r = record(peer);
        boolean changed = false;
        synchronized (r) {
            for (Multiaddr a : addresses) {
                Multiaddr bare = a.withoutPeerId();
                if (!r.addresses.contains(bare)) {
                    if (r.addresses.size() >= MAX_ADDRESSES_PER_PEER) {
                        r.addresses.remove(r.addresses.iterator().next());
                    }
                    r.addresses.add(bare);
                    changed = true;
                }
            }
        }
        if (changed) {
            fire(peer);
        }
    }

    @Override
    public List<Multiaddr> addresses(PeerId peer) {
        return existing(peer).map(r -> {
            synchronized (r) {
                return List.copyOf(r.addresses);
            }
        }).orElse(List.of());
    }

    @Override
    public void setProtocols(PeerId peer, Collection<String> protocols) {
        List<String> bounded = new ArrayList<>(protocols);
        if (bounded.size() > MAX_PROTOCOLS_PER_PEER) {
            bounded = bounded.subList(0, MAX_PROTOCOLS_PER_PEER);
        }
        Set<String> copy = Set.copyOf(bounded);
        Record r = record(peer);
        synchronized (r) {
            if (copy.equals(r.protocols)) {
                return;
            }
            r.protocols = copy;
        }
        fire(peer);
    }

    @Override
    public Set<String> protocols(PeerId peer) {
        return existing(peer).map(r -> {
            synchronized (r) {
                return r.protocols;
            }
        }).orElse(Set.of());
    }

    @Override
    public void setAgentVersion(PeerId peer, String agentVersion) {
        String v = agentVersion.length() > MAX_AGENT_VERSION_LENGTH ? agentVersion.substring(0, MAX_AGENT_VERSION_LENGTH) : agentVersion;
        Record r = record(peer);
        synchronized (r) {
            if (v.equals(r.agentVersion)) {
                return;
            }
            r.agentVersion = v;
        }
        fire(peer);
    }

    @Override
    public Optional<String> agentVersion(PeerId peer) {
        return existing(peer).map(r -> {
            synchronized (r) {
                return r.agentVersion;
            }
        });
    }

    /** @throws IllegalArgumentException if {@code key} is not {@code peer}'s key */
    @Override
    public void putPublicKey(PeerId peer, PublicKey key) {
        if (!peer.matches(key)) {
            throw new IllegalArgumentException("public key does not match peer " + peer);
        }
        Record r = record(peer);
        synchronized (r) {
            if (key.equals(r.publicKey)) {
                return;
            }
            r.publicKey = key;
        }
        fire(peer);
    }

    @Override
    public Optional<PublicKey> publicKey(PeerId peer) {
        return existing(peer).map(r -> {
            synchronized (r) {
                return r.publicKey;
            }
        });
    }

    @Override
    public Set<PeerId> peers() {
        return Set.copyOf(records.keySet());
    }

    @Override
    public void addListener(PeerstoreListener listener) {
        listeners.add(listener);
    }

    private void fire(PeerId peer) {
        for (PeerstoreListener l : listeners) {
            try {
                l.peerChanged(peer);
            } catch (RuntimeException e) {
                LOG.warn("peerstore listener failed for {}: {}", peer, e.toString());
            }
        }
    }
}
