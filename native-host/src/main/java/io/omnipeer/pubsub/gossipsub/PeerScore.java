package io.omnipeer.pubsub.gossipsub;

import io.omnipeer.core.PeerId;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The gossipsub v1.1 peer score: per topic P1 (time in mesh), P2 (first message deliveries), P3 (mesh message
 * delivery deficit), P3b (mesh failure penalty), P4 (invalid messages), each weighted by {@link TopicScoreParams}
 * and summed with the topic weight (positive sum capped); plus P5 (application score), P6 (IP colocation) and P7
 * (behaviour penalty: GRAFT during backoff, IWANT floods, broken IWANT promises). Counters decay at every
 * {@link #refresh}. A disconnected peer's counters are retained ({@link PeerScoreParams#retainScoreMillis()}) so
 * reconnecting does not wash away its penalties.
 *
 * <p>Delivery accounting ("Score Function", P2/P3): the first peer to deliver a message that then validates gets
 * P2 and, if it is in our mesh, P3; mesh peers that deliver a duplicate while it validates or within
 * {@link TopicScoreParams#meshMessageDeliveriesWindowMillis()} after also get P3; if it fails validation every one of
 * them gets P4 (except for a bad signature, which only the sender is blamed for: the ID cannot be trusted).
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.1.md, "Peer Scoring", "The Score Function", "Score
 * Thresholds". Not thread-safe: the router guards it with its lock.
 */
final class PeerScore {
    /** Peers whose counters are kept, connected or recently gone. */
    static final int MAX_SCORED_PEERS = 10_000;
    /** Message delivery records kept (each lives for the seen-cache TTL). */
    static final int MAX_DELIVERY_RECORDS = 100_000;
    /** Peers remembered per delivery record (duplicates beyond this are not credited). */
    static final int MAX_PEERS_PER_RECORD = 64;

    private enum Status { VALIDATING, VALID, INVALID, IGNORED }

    private static final class DeliveryRecord {
        final long firstSeen;
        Status status = Status.VALIDATING;
        long validated;
        final Set<PeerId> peers = new HashSet<>();

        DeliveryRecord(long firstSeen) {
            this.firstSeen = firstSeen;
        }
    }

    private static final class TopicStats {
        boolean inMesh;
        long graftTime;
        double firstDeliveries;
        double meshDeliveries;
        double meshFailurePenalty;
        double invalidDeliveries;

        boolean idle() {
            return !inMesh && firstDeliveries == 0 && meshDeliveries == 0 && meshFailurePenalty == 0
                    && invalidDeliveries == 0;
        }
    }

    private static final class PeerStats {
        boolean connected;
        long expires;
        String ip;
        double behaviourPenalty;
        final Map<String, TopicStats> topics = new HashMap<>();
    }

    private final PeerScoreParams params;
    private final LongSupplier clock;
    private final long recordTtlMillis;
    private final Map<PeerId, PeerStats> peers = new HashMap<>();
    private final Map<String, Set<PeerId>> peersByIp = new HashMap<>();
    private final LinkedHashMap<ByteBuffer, DeliveryRecord> records = new LinkedHashMap<>();
    private ToDoubleFunction<PeerId> appScore = p -> 0;

    /**
     * @param clock           ms, the router's (virtual in the simulator)
     * @param recordTtlMillis how long a message's delivery record is kept (the seen-cache TTL)
     */
    PeerScore(PeerScoreParams params, LongSupplier clock, long recordTtlMillis) {
        this.params = params;
        this.clock = clock;
        this.recordTtlMillis = recordTtlMillis;
    }

    PeerScoreParams params() {
        return params;
    }

    void setAppScore(ToDoubleFunction<PeerId> appScore) {
        this.appScore = appScore;
    }

    /** The peer's score now (0 for a peer we know nothing about). */
    double score(PeerId peer) {
        PeerStats s = peers.get(peer);
        if (s == null) {
            return params.appSpecificWeight() * appScore.applyAsDouble(peer);
        }
        long now = clock.getAsLong();
        double topics = 0;
        for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
            topics += topicScore(params.topic(e.getKey()), e.getValue(), now);
        }
        if (params.topicScoreCap() > 0 && topics > params.topicScoreCap()) {
            topics = params.topicScoreCap();
        }
        double score = topics + params.appSpecificWeight() * appScore.applyAsDouble(peer);
        if (s.ip != null) {
            int surplus = peersByIp.getOrDefault(s.ip, Set.of()).size() - params.ipColocationFactorThreshold();
            if (surplus > 0) {
                score += params.ipColocationFactorWeight() * surplus * surplus;
            }
        }
        double excess = s.behaviourPenalty - params.behaviourPenaltyThreshold();
        if (excess > 0) {
            score += params.behaviourPenaltyWeight() * excess * excess;
        }
        return score;
    }

    private static double topicScore(TopicScoreParams t, TopicStats ts, long now) {
        double score = 0;
        if (ts.inMesh) {
            double p1 = Math.min((now - ts.graftTime) / (double) t.timeInMeshQuantumMillis(), t.timeInMeshCap());
            score += t.timeInMeshWeight() * p1;
            if (now - ts.graftTime >= t.meshMessageDeliveriesActivationMillis()
                    && ts.meshDeliveries < t.meshMessageDeliveriesThreshold()) {
                double deficit = t.meshMessageDeliveriesThreshold() - ts.meshDeliveries;
                score += t.meshMessageDeliveriesWeight() * deficit * deficit;
            }
        }
        score += t.firstMessageDeliveriesWeight() * ts.firstDeliveries;
        score += t.meshFailurePenaltyWeight() * ts.meshFailurePenalty;
        score += t.invalidMessageDeliveriesWeight() * ts.invalidDeliveries * ts.invalidDeliveries;
        return t.topicWeight() * score;
    }

    double behaviourPenalty(PeerId peer) {
        PeerStats s = peers.get(peer);
        return s == null ? 0 : s.behaviourPenalty;
    }

    boolean graylisted(PeerId peer) {
        return score(peer) < params.graylistThreshold();
    }

    boolean acceptsGossip(PeerId peer) {
        return score(peer) >= params.gossipThreshold();
    }

    boolean acceptsPublish(PeerId peer) {
        return score(peer) >= params.publishThreshold();
    }

    boolean acceptsPeerExchange(PeerId peer) {
        return score(peer) >= params.acceptPxThreshold();
    }

    /**
     * A connection to {@code peer} opened.
     *
     * @param ip its remote IP for P6, or null (unknown, or loopback: exempt)
     */
    void addPeer(PeerId peer, String ip) {
        PeerStats s = stats(peer);
        s.connected = true;
        if (ip != null && !ip.equals(s.ip)) {
            forgetIp(peer, s);
            s.ip = ip;
            peersByIp.computeIfAbsent(ip, k -> new HashSet<>()).add(peer);
        }
    }

    /** The last connection to {@code peer} closed: it leaves every mesh (P3b applies) and its counters are retained. */
    void removePeer(PeerId peer) {
        PeerStats s = peers.get(peer);
        if (s == null) {
            return;
        }
        forgetIp(peer, s);
        if (score(peer) > 0) {
            peers.remove(peer); // a positive score is not worth keeping, only penalties are (go-libp2p-pubsub does the same)
            return;
        }
        for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
            leaveMesh(params.topic(e.getKey()), e.getValue());
        }
        s.connected = false;
        s.expires = clock.getAsLong() + params.retainScoreMillis();
    }

    /** {@code peer} joined our mesh of {@code topic}. */
    void graft(PeerId peer, String topic) {
        TopicStats ts = stats(peer).topics.computeIfAbsent(topic, t -> new TopicStats());
        if (!ts.inMesh) {
            ts.inMesh = true;
            ts.graftTime = clock.getAsLong();
            ts.meshDeliveries = 0;
        }
    }

    /** {@code peer} left our mesh of {@code topic}: a delivery deficit becomes the P3b penalty. */
    void prune(PeerId peer, String topic) {
        PeerStats s = peers.get(peer);
        TopicStats ts = s == null ? null : s.topics.get(topic);
        if (ts != null) {
            leaveMesh(params.topic(topic), ts);
        }
    }

    private void leaveMesh(TopicScoreParams t, TopicStats ts) {
        if (!ts.inMesh) {
            return;
        }
        if (clock.getAsLong() - ts.graftTime >= t.meshMessageDeliveriesActivationMillis()
                && ts.meshDeliveries < t.meshMessageDeliveriesThreshold()) {
            double deficit = t.meshMessageDeliveriesThreshold() - ts.meshDeliveries;
            ts.meshFailurePenalty += deficit * deficit;
        }
        ts.inMesh = false;
    }

    void addBehaviourPenalty(PeerId peer, int count) {
        stats(peer).behaviourPenalty += count;
    }

    /** A message was seen for the first time (its signature checked); its validation starts. */
    void validateMessage(byte[] id) {
        ByteBuffer key = ByteBuffer.wrap(id.clone());
        if (records.size() >= MAX_DELIVERY_RECORDS) {
            Iterator<ByteBuffer> oldest = records.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        records.putIfAbsent(key, new DeliveryRecord(clock.getAsLong()));
    }

    /** The message {@code source} delivered first passed validation: P2 (and P3 in the mesh) for it and early duplicates. */
    void deliverMessage(PeerId source, byte[] id, String topic) {
        TopicScoreParams t = params.topic(topic);
        TopicStats ts = stats(source).topics.computeIfAbsent(topic, k -> new TopicStats());
        ts.firstDeliveries = Math.min(t.firstMessageDeliveriesCap(), ts.firstDeliveries + 1);
        if (ts.inMesh) {
            ts.meshDeliveries = Math.min(t.meshMessageDeliveriesCap(), ts.meshDeliveries + 1);
        }
        DeliveryRecord r = records.get(ByteBuffer.wrap(id));
        if (r == null) {
            return;
        }
        r.status = Status.VALID;
        r.validated = clock.getAsLong();
        for (PeerId p : r.peers) {
            if (!p.equals(source)) {
                meshDelivery(p, topic, t);
            }
        }
    }

    /**
     * The message {@code source} delivered failed: P4 for it, and (unless the signature was bad) for every peer that
     * delivered the same message.
     */
    void rejectMessage(PeerId source, byte[] id, String topic, boolean badSignature) {
        invalid(source, topic);
        if (badSignature) {
            return;
        }
        DeliveryRecord r = records.get(ByteBuffer.wrap(id));
        if (r == null) {
            return;
        }
        r.status = Status.INVALID;
        for (PeerId p : r.peers) {
            if (!p.equals(source)) {
                invalid(p, topic);
            }
        }
    }

    /** The validator ignored the message: nobody is credited or blamed for it. */
    void ignoreMessage(byte[] id) {
        DeliveryRecord r = records.get(ByteBuffer.wrap(id));
        if (r != null) {
            r.status = Status.IGNORED;
        }
    }

    /** {@code peer} delivered a message we had already seen. */
    void duplicateMessage(PeerId peer, byte[] id, String topic) {
        DeliveryRecord r = records.get(ByteBuffer.wrap(id));
        if (r == null) {
            return;
        }
        switch (r.status) {
            case VALIDATING -> {
                if (r.peers.size() < MAX_PEERS_PER_RECORD) {
                    r.peers.add(peer);
                }
            }
            case VALID -> {
                TopicScoreParams t = params.topic(topic);
                if (r.peers.size() < MAX_PEERS_PER_RECORD && r.peers.add(peer)
                        && clock.getAsLong() - r.validated <= t.meshMessageDeliveriesWindowMillis()) {
                    meshDelivery(peer, topic, t);
                }
            }
            case INVALID -> {
                if (r.peers.add(peer)) {
                    invalid(peer, topic);
                }
            }
            case IGNORED -> {
                // neither credit nor blame
            }
        }
    }

    private void meshDelivery(PeerId peer, String topic, TopicScoreParams t) {
        PeerStats s = peers.get(peer);
        TopicStats ts = s == null ? null : s.topics.get(topic);
        if (ts != null && ts.inMesh) {
            ts.meshDeliveries = Math.min(t.meshMessageDeliveriesCap(), ts.meshDeliveries + 1);
        }
    }

    private void invalid(PeerId peer, String topic) {
        stats(peer).topics.computeIfAbsent(topic, k -> new TopicStats()).invalidDeliveries += 1;
    }

    /** Once per heartbeat: decays every counter, forgets expired peers and delivery records. */
    void refresh() {
        long now = clock.getAsLong();
        double zero = params.decayToZero();
        Iterator<Map.Entry<PeerId, PeerStats>> it = peers.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<PeerId, PeerStats> e = it.next();
            PeerStats s = e.getValue();
            if (!s.connected && now >= s.expires) {
                it.remove();
                continue;
            }
            s.behaviourPenalty = decay(s.behaviourPenalty, params.behaviourPenaltyDecay(), zero);
            s.topics.entrySet().removeIf(te -> {
                TopicScoreParams t = params.topic(te.getKey());
                TopicStats ts = te.getValue();
                ts.firstDeliveries = decay(ts.firstDeliveries, t.firstMessageDeliveriesDecay(), zero);
                ts.meshDeliveries = decay(ts.meshDeliveries, t.meshMessageDeliveriesDecay(), zero);
                ts.meshFailurePenalty = decay(ts.meshFailurePenalty, t.meshFailurePenaltyDecay(), zero);
                ts.invalidDeliveries = decay(ts.invalidDeliveries, t.invalidMessageDeliveriesDecay(), zero);
                return ts.idle();
            });
            if (!s.connected && s.topics.isEmpty() && s.behaviourPenalty == 0) {
                it.remove();
            }
        }
        Iterator<DeliveryRecord> records = this.records.values().iterator();
        while (records.hasNext() && now - records.next().firstSeen > recordTtlMillis) {
            records.remove();
        }
    }

    private static double decay(double value, double factor, double zero) {
        double d = value * factor;
        return d < zero ? 0 : d;
    }

    private PeerStats stats(PeerId peer) {
        PeerStats s = peers.get(peer);
        if (s != null) {
            return s;
        }
        if (peers.size() >= MAX_SCORED_PEERS) {
            peers.values().removeIf(p -> !p.connected);
        }
        s = new PeerStats();
        s.connected = true;
        peers.put(peer, s);
        return s;
    }

    private void forgetIp(PeerId peer, PeerStats s) {
        if (s.ip == null) {
            return;
        }
        Set<PeerId> same = peersByIp.get(s.ip);
        if (same != null) {
            same.remove(peer);
            if (same.isEmpty()) {
                peersByIp.remove(s.ip);
            }
        }
        s.ip = null;
    }
}
