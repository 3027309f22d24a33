package io.omnipeer.pubsub.gossipsub;

import com.google.protobuf.ByteString;
import io.omnipeer.core.PeerId;
import io.omnipeer.pubsub.PubsubPeer;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlGraft;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlIHave;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlIWant;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlMessage;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlPrune;
import io.omnipeer.pubsub.pb.PubsubProtos.Message;
import io.omnipeer.pubsub.pb.PubsubProtos.PeerInfo;
import io.omnipeer.pubsub.pb.PubsubProtos.RPC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The gossipsub state machine: per-topic mesh and fanout, the heartbeat (mesh repair, fanout expiry, IHAVE
 * gossip, cache shift, opportunistic grafting), and GRAFT/PRUNE/IHAVE/IWANT handling with PRUNE backoff and peer
 * exchange. Every mesh change is reported to the {@link PeerScore}, which every decision consults (negative peers
 * are pruned and never grafted; gossip, publish and PX thresholds); IWANTs we send are tracked as
 * {@link GossipPromises}.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.0.md, "Router State", "Topic Membership", "Control Message
 * Handling", "Heartbeat"; gossipsub-v1.1.md, "PRUNE Backoff and Peer Exchange", "Peer Scoring", "Opportunistic
 * Grafting", "Spam Protection Measures".
 * Never touches bytes on the wire beyond building RPCs. Not thread-safe: every call holds {@code router.lock}.
 */
final class MeshMaintenance {
    /** IHAVE messages accepted from one peer per heartbeat (go-libp2p-pubsub GossipSubMaxIHaveMessages). */
    static final int MAX_IHAVE_MESSAGES = 10;
    /** Message IDs we ask one peer for (IWANT) per heartbeat, and most IDs sent in one IHAVE
     * (go-libp2p-pubsub GossipSubMaxIHaveLength). */
    static final int MAX_IHAVE_LENGTH = 5000;
    /** Message IDs we serve to one peer from IWANT per heartbeat; asking more is a penalised flood. */
    static final int MAX_IWANT_IDS_PER_HEARTBEAT = 5000;
    /** Times one message is sent to one peer in reply to IWANT (v1.1 GossipSubGossipRetransmission). */
    static final int GOSSIP_RETRANSMISSION = 3;
    /** Peers offered in PRUNE peer exchange, and most dialled from one received PRUNE (GossipSubPrunePeers). */
    static final int PRUNE_PEERS = 16;
    /** A GRAFT this soon after our PRUNE (within the backoff) costs an extra penalty (GossipSubGraftFloodThreshold), ms. */
    static final long GRAFT_FLOOD_THRESHOLD_MILLIS = 10_000;
    /** Heartbeats between opportunistic grafting rounds (v1.1 "Opportunistic Grafting"; go-libp2p-pubsub: 60). */
    static final int OPPORTUNISTIC_GRAFT_TICKS = 60;
    /** Peers grafted per opportunistic grafting round (go-libp2p-pubsub GossipSubOpportunisticGraftPeers). */
    static final int OPPORTUNISTIC_GRAFT_PEERS = 2;

    private static final Logger log = LoggerFactory.getLogger(MeshMaintenance.class);

    private final GossipRouter router;
    private final GossipParams params;
    private final Map<String, Set<PeerId>> mesh = new HashMap<>();
    private final Map<String, Set<PeerId>> fanout = new HashMap<>();
    private final Map<String, Long> fanoutLastPublish = new HashMap<>();
    private final Backoff backoff = new Backoff();
    private final MessageCache cache;
    private final PeerScore score;
    private final GossipPromises promises = new GossipPromises();
    private long heartbeats;
    private final Map<PeerId, Integer> ihavesThisHeartbeat = new HashMap<>();
    private final Map<PeerId, Integer> idsAskedThisHeartbeat = new HashMap<>();
    private final Map<PeerId, Integer> idsServedThisHeartbeat = new HashMap<>();
    private final ControlOutbox outbox = new ControlOutbox();
    private final Random random;

    MeshMaintenance(GossipRouter router, Random random, PeerScoreParams scoreParams) {
        this.router = router;
        this.random = random;
        this.params = router.params;
        this.score = new PeerScore(scoreParams, router.timer::nowMillis, params.seenTtlMillis());
        this.cache = new MessageCache(params.mcacheLength(), params.mcacheGossip());
    }

    Set<PeerId> meshPeers(String topic) {
        return Set.copyOf(mesh.getOrDefault(topic, Set.of()));
    }

    double behaviourPenalty(PeerId peer) {
        return score.behaviourPenalty(peer);
    }

    double score(PeerId peer) {
        return score.score(peer);
    }

    boolean graylisted(PeerId peer) {
        return score.graylisted(peer);
    }

    void addPenalty(PeerId peer) {
        score.addBehaviourPenalty(peer, 1);
    }

    /** The peer score, for the router's delivery accounting. */
    PeerScore scores() {
        return score;
    }

    /** A message arrived with a valid signature: IWANT promises for it are kept. */
    void promiseKept(byte[] id) {
        promises.delivered(id);
    }

    void cache(byte[] id, Message message) {
        cache.put(id, message);
    }

    /** JOIN(topic): fanout peers first, then other topic peers, up to D; GRAFT them (v1.0 "Topic Membership"). */
    void join(String topic) {
        if (mesh.containsKey(topic)) {
            return;
        }
        long now = router.timer.nowMillis();
        Set<PeerId> members = new LinkedHashSet<>();
        for (PeerId p : fanout.getOrDefault(topic, Set.of())) {
            if (members.size() < params.d() && eligibleForMesh(topic, p, now)) {
                members.add(p);
            }
        }
        fanout.remove(topic);
        fanoutLastPublish.remove(topic);
        List<PeerId> more = candidates(topic, p -> !members.contains(p) && eligibleForMesh(topic, p, now));
        for (PeerId p : more) {
            if (members.size() >= params.d()) {
                break;
            }
            members.add(p);
        }
        mesh.put(topic, new HashSet<>(members));
        for (PeerId p : members) {
            score.graft(p, topic);
            outbox.graft(p, topic);
        }
        flush();
    }

    /** LEAVE(topic): PRUNE every mesh peer with the unsubscribe backoff. */
    void leave(String topic) {
        Set<PeerId> members = mesh.remove(topic);
        if (members == null) {
            return;
        }
        long now = router.timer.nowMillis();
        for (PeerId p : members) {
            score.prune(p, topic);
            backoff.add(topic, p, params.unsubscribeBackoffMillis(), now);
            outbox.prune(p, topic, params.unsubscribeBackoffMillis() / 1000, List.of());
        }
        flush();
    }

    void peerLeft(PeerId peer) {
        score.removePeer(peer);
        mesh.values().forEach(s -> s.remove(peer));
        fanout.values().forEach(s -> s.remove(peer));
        ihavesThisHeartbeat.remove(peer);
        idsAskedThisHeartbeat.remove(peer);
        idsServedThisHeartbeat.remove(peer);
    }

    void peerLeftTopic(PeerId peer, String topic) {
        Set<PeerId> m = mesh.get(topic);
        if (m != null && m.remove(peer)) {
            score.prune(peer, topic);
        }
        Set<PeerId> f = fanout.get(topic);
        if (f != null) {
            f.remove(peer);
        }
    }

    /** Where our own message goes: flood publish = every subscribed peer; else mesh or fanout, plus floodsub peers. */
    Collection<PeerId> publishTargets(String topic) {
        if (params.floodPublish()) {
            return candidatesAnyProtocol(topic);
        }
        Set<PeerId> targets = new HashSet<>(floodsubPeers(topic));
        Set<PeerId> members = mesh.get(topic);
        if (members == null) {
            members = fanout.computeIfAbsent(topic, t -> new HashSet<>());
            if (members.isEmpty()) {
                for (PeerId p : candidates(topic, score::acceptsPublish)) {
                    if (members.size() >= params.d()) {
                        break;
                    }
                    members.add(p);
                }
            }
            fanoutLastPublish.put(topic, router.timer.nowMillis());
        }
        targets.addAll(members);
        return targets;
    }

    /** Where a received message is forwarded: mesh peers plus floodsub peers of the topic. */
    Collection<PeerId> forwardTargets(String topic) {
        Set<PeerId> targets = new HashSet<>(floodsubPeers(topic));
        targets.addAll(mesh.getOrDefault(topic, Set.of()));
        return targets;
    }

    void handleControl(PeerId source, ControlMessage control) {
        if (score.acceptsGossip(source)) {
            List<ByteString> wanted = new ArrayList<>();
            for (ControlIHave ihave : control.getIhaveList()) {
                collectWanted(source, ihave, wanted);
            }
            if (!wanted.isEmpty()) {
                outbox.iwant(source, wanted);
                promises.asked(source, wanted.stream().map(ByteString::toByteArray).toList(),
                        router.timer.nowMillis(), random);
            }
            serveIWant(source, control.getIwantList());
        }
        for (ControlGraft graft : control.getGraftList()) {
            handleGraft(source, graft.getTopicID());
        }
        for (ControlPrune prune : control.getPruneList()) {
            handlePrune(source, prune);
        }
        flush();
    }

    private void collectWanted(PeerId source, ControlIHave ihave, List<ByteString> wanted) {
        if (!mesh.containsKey(ihave.getTopicID())
                || ihavesThisHeartbeat.merge(source, 1, Integer::sum) > MAX_IHAVE_MESSAGES) {
            return;
        }
        int budget = MAX_IHAVE_LENGTH - idsAskedThisHeartbeat.getOrDefault(source, 0);
        int asked = 0;
        for (ByteString id : ihave.getMessageIDsList()) {
            if (asked >= budget) {
                break;
            }
            byte[] bytes = id.toByteArray();
            if (!router.seen(bytes) && !cache.contains(bytes) && !wanted.contains(id)) {
                wanted.add(id);
                asked++;
            }
        }
        idsAskedThisHeartbeat.merge(source, asked, Integer::sum);
    }

    private void serveIWant(PeerId source, List<ControlIWant> iwants) {
        int served = idsServedThisHeartbeat.getOrDefault(source, 0);
        RPC.Builder batch = RPC.newBuilder();
        int batchBytes = 0;
        boolean flooded = false;
        for (ControlIWant iwant : iwants) {
            for (ByteString id : iwant.getMessageIDsList()) {
                if (served >= MAX_IWANT_IDS_PER_HEARTBEAT) {
                    flooded = true;
                    break;
                }
                served++;
                Message message = cache.getForPeer(id.toByteArray(), source, GOSSIP_RETRANSMISSION).orElse(null);
                if (message == null) {
                    continue;
                }
                int size = message.getSerializedSize() + 8;
                if (batchBytes + size > GossipRouter.MAX_RPC_BYTES && batch.getPublishCount() > 0) {
                    router.send(source, batch.build().toByteArray());
                    batch = RPC.newBuilder();
                    batchBytes = 0;
                }
                batch.addPublish(message);
                batchBytes += size;
            }
        }
        idsServedThisHeartbeat.put(source, served);
        if (batch.getPublishCount() > 0) {
            router.send(source, batch.build().toByteArray());
        }
        if (flooded) {
            log.debug("{} asked for more than {} messages in one heartbeat", source, MAX_IWANT_IDS_PER_HEARTBEAT);
            addPenalty(source);
        }
    }

    private void handleGraft(PeerId source, String topic) {
        Set<PeerId> members = mesh.get(topic);
        if (members == null || members.contains(source)) {
            return; // spam hardening: GRAFTs for topics we are not in are ignored (v1.1)
        }
        long now = router.timer.nowMillis();
        if (backoff.isBackedOff(topic, source, now)) {
            addPenalty(source);
            if (backoff.isBackedOff(topic, source,
                    now + params.pruneBackoffMillis() - GRAFT_FLOOD_THRESHOLD_MILLIS)) {
                addPenalty(source);
            }
            log.debug("GRAFT from {} on {} during backoff", source, topic);
            refuse(source, topic, now, false);
            return;
        }
        if (score.score(source) < 0) {
            refuse(source, topic, now, false);
            return;
        }
        boolean outbound = router.network.isOutbound(source);
        if (members.size() >= params.dHi() && !outbound) {
            refuse(source, topic, now, true);
            return;
        }
        members.add(source);
        score.graft(source, topic);
    }

    private void refuse(PeerId peer, String topic, long now, boolean exchange) {
        backoff.add(topic, peer, params.pruneBackoffMillis(), now);
        outbox.prune(peer, topic, params.pruneBackoffMillis() / 1000, exchange ? exchangeFor(topic, peer) : List.of());
    }

    private void handlePrune(PeerId source, ControlPrune prune) {
        String topic = prune.getTopicID();
        Set<PeerId> members = mesh.get(topic);
        if (members != null && members.remove(source)) {
            score.prune(source, topic);
        }
        long backoffMillis = prune.hasBackoff() && prune.getBackoff() > 0
                ? Math.min(prune.getBackoff(), Backoff.MAX_BACKOFF_MILLIS / 1000) * 1000 : params.pruneBackoffMillis();
        backoff.add(topic, source, backoffMillis, router.timer.nowMillis());
        if (members != null && prune.getPeersCount() > 0 && score.acceptsPeerExchange(source)) {
            exchangePeers(prune.getPeersList());
        }
    }

    /** Peer exchange: dial (through the network's known addresses) some offered peers we are not connected to. */
    private void exchangePeers(List<PeerInfo> offered) {
        int dialled = 0;
        for (PeerInfo info : offered) {
            if (dialled >= PRUNE_PEERS) {
                break;
            }
            PeerId peer;
            try {
                peer = PeerId.fromBytes(info.getPeerID().toByteArray());
            } catch (RuntimeException e) {
                continue;
            }
            if (peer.equals(router.network.localPeer()) || router.network.isConnected(peer)) {
                continue;
            }
            if (router.network.connect(peer)) {
                dialled++;
            }
        }
    }

    private List<PeerId> exchangeFor(String topic, PeerId pruned) {
        PubsubPeer p = router.peers.get(pruned);
        if (p == null || !GossipRouter.MESHSUB_V11.equals(p.protocol())) {
            return List.of();
        }
        List<PeerId> others = new ArrayList<>(mesh.getOrDefault(topic, Set.of()));
        others.remove(pruned);
        Collections.shuffle(others, random);
        return others.subList(0, Math.min(PRUNE_PEERS, others.size()));
    }

    /** One heartbeat (v1.0 "Heartbeat"): mesh repair, fanout maintenance, gossip emission, cache shift. */
    void heartbeat() {
        long now = router.timer.nowMillis();
        ihavesThisHeartbeat.clear();
        idsAskedThisHeartbeat.clear();
        idsServedThisHeartbeat.clear();
        backoff.expire(now);
        score.refresh();
        promises.broken(now).forEach(score::addBehaviourPenalty);
        heartbeats++;
        mesh.forEach((topic, members) -> maintainMesh(topic, members, now));
        fanoutLastPublish.entrySet().removeIf(e -> {
            boolean expired = now - e.getValue() > params.fanoutTtlMillis();
            if (expired) {
                fanout.remove(e.getKey());
            }
            return expired;
        });
        fanout.forEach((topic, members) -> {
            members.removeIf(p -> !subscribedGossipPeer(topic, p));
            for (PeerId p : candidates(topic, p -> !members.contains(p) && score.acceptsPublish(p))) {
                if (members.size() >= params.d()) {
                    break;
                }
                members.add(p);
            }
        });
        mesh.forEach(this::emitGossip);
        fanout.forEach(this::emitGossip);
        flush();
        cache.shift();
    }

    private void maintainMesh(String topic, Set<PeerId> members, long now) {
        for (PeerId p : List.copyOf(members)) {
            if (!subscribedGossipPeer(topic, p)) {
                members.remove(p);
                score.prune(p, topic);
            }
        }
        for (PeerId p : List.copyOf(members)) {
            if (score.score(p) < 0) { // v1.1 "Heartbeat": negative-score peers leave the mesh, without PX
                prune(topic, members, p, now, List.of());
            }
        }
        if (members.size() < params.dLo()) {
            for (PeerId p : candidates(topic, p -> !members.contains(p) && eligibleForMesh(topic, p, now))) {
                if (members.size() >= params.d()) {
                    break;
                }
                graft(topic, members, p);
            }
        }
        if (members.size() > params.dHi()) {
            List<PeerId> shuffled = new ArrayList<>(members);
            Collections.shuffle(shuffled, random);
            for (PeerId p : shuffled.subList(params.d(), shuffled.size())) {
                prune(topic, members, p, now, exchangeFor(topic, p));
            }
        }
        if (heartbeats % OPPORTUNISTIC_GRAFT_TICKS == 0 && members.size() > 1) {
            graftOpportunistically(topic, members, now);
        }
    }

    /**
     * v1.1 "Opportunistic Grafting": when the median score of the mesh is below the threshold (the mesh may be
     * held by poorly performing or Sybil peers), graft a few peers that score above the median.
     */
    private void graftOpportunistically(String topic, Set<PeerId> members, long now) {
        List<Double> scores = new ArrayList<>();
        members.forEach(p -> scores.add(score.score(p)));
        Collections.sort(scores);
        double median = scores.get(scores.size() / 2);
        if (median >= score.params().opportunisticGraftThreshold()) {
            return;
        }
        int grafted = 0;
        for (PeerId p : candidates(topic, p -> !members.contains(p) && eligibleForMesh(topic, p, now)
                && score.score(p) > median)) {
            if (grafted >= OPPORTUNISTIC_GRAFT_PEERS) {
                break;
            }
            graft(topic, members, p);
            grafted++;
        }
    }

    /** The heartbeat adds {@code p} to the mesh of {@code topic}: the score starts its mesh time, a GRAFT goes out. */
    private void graft(String topic, Set<PeerId> members, PeerId p) {
        members.add(p);
        score.graft(p, topic);
        outbox.graft(p, topic);
    }

    /**
     * The heartbeat takes {@code p} out of the mesh of {@code topic}: the score settles its mesh deliveries, the
     * peer is backed off and sent a PRUNE offering {@code exchange} (v1.1 peer exchange).
     */
    private void prune(String topic, Set<PeerId> members, PeerId p, long now, List<PeerId> exchange) {
        members.remove(p);
        score.prune(p, topic);
        backoff.add(topic, p, params.pruneBackoffMillis(), now);
        outbox.prune(p, topic, params.pruneBackoffMillis() / 1000, exchange);
    }

    private void emitGossip(String topic, Set<PeerId> members) {
        List<byte[]> ids = cache.gossipIds(topic);
        if (ids.isEmpty()) {
            return;
        }
        if (ids.size() > MAX_IHAVE_LENGTH) {
            Collections.shuffle(ids, random);
            ids = ids.subList(0, MAX_IHAVE_LENGTH);
        }
        List<PeerId> eligible = candidates(topic, p -> !members.contains(p) && score.acceptsGossip(p));
        int count = Math.max(params.dLazy(), (int) (params.gossipFactor() * eligible.size()));
        for (PeerId p : eligible.subList(0, Math.min(count, eligible.size()))) {
            outbox.ihave(p, topic, ids);
        }
    }

    private boolean eligibleForMesh(String topic, PeerId p, long now) {
        return subscribedGossipPeer(topic, p) && !backoff.isBackedOff(topic, p, now) && score.score(p) >= 0;
    }

    private boolean subscribedGossipPeer(String topic, PeerId id) {
        PubsubPeer p = router.peers.get(id);
        return p != null && GossipRouter.isGossipProtocol(p.protocol()) && p.topics().contains(topic);
    }

    /** Gossipsub peers subscribed to {@code topic} that pass {@code filter}, in random order. */
    private List<PeerId> candidates(String topic, java.util.function.Predicate<PeerId> filter) {
        List<PeerId> out = new ArrayList<>();
        for (PubsubPeer p : router.peers.values()) {
            if (GossipRouter.isGossipProtocol(p.protocol()) && p.topics().contains(topic) && filter.test(p.id())) {
                out.add(p.id());
            }
        }
        Collections.shuffle(out, random);
        return out;
    }

    private List<PeerId> candidatesAnyProtocol(String topic) {
        List<PeerId> out = new ArrayList<>();
        for (PubsubPeer p : router.peers.values()) {
            if (p.topics().contains(topic) && score.acceptsPublish(p.id())) {
                out.add(p.id());
            }
        }
        return out;
    }

    private List<PeerId> floodsubPeers(String topic) {
        List<PeerId> out = new ArrayList<>();
        for (PubsubPeer p : router.peers.values()) {
            if (GossipRouter.FLOODSUB.equals(p.protocol()) && p.topics().contains(topic)) {
                out.add(p.id());
            }
        }
        return out;
    }

    private void flush() {
        outbox.drain().forEach((peer, rpc) -> router.send(peer, rpc.toByteArray()));
    }
}
