package io.omnipeer.pubsub.gossipsub;

import com.google.protobuf.ByteString;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Host;
import io.omnipeer.core.PeerId;
import io.omnipeer.pubsub.MessageSigning;
import io.omnipeer.pubsub.PubsubMessage;
import io.omnipeer.pubsub.PubsubPeer;
import io.omnipeer.pubsub.RpcSink;
import io.omnipeer.pubsub.SignatureVerifier;
import io.omnipeer.pubsub.SeenCache;
import io.omnipeer.pubsub.Subscription;
import io.omnipeer.pubsub.floodsub.FloodsubRouter;
import io.omnipeer.pubsub.pb.PubsubProtos.Message;
import io.omnipeer.pubsub.pb.PubsubProtos.RPC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * Gossipsub v1.1 router ({@code /meshsub/1.1.0}, also answering {@code /meshsub/1.0.0} and {@code /floodsub/1.0.0}).
 * Messages travel over a per-topic mesh of about D peers kept by a heartbeat ({@link MeshMaintenance}); peers
 * outside the mesh learn message IDs from IHAVE gossip and fetch with IWANT; floodsub peers receive every
 * message of their topics as floodsub would send it. StrictSign: our messages are signed, received ones
 * verified ({@link MessageSigning}). Own publishes are flood-published (v1.1) unless disabled.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.0.md and gossipsub-v1.1.md; pubsub/README.md.
 *
 * <p>Streams: one long-lived outbound stream per peer, negotiated with our preference meshsub 1.1, 1.0, floodsub
 * ({@link PubsubPeer}); the remote's stream is our inbound one. A malformed RPC resets only its stream. The router
 * reaches the network only through a {@link GossipNetwork} ({@link HostGossipNetwork} on a libp2p host) and reads
 * time only from a {@link GossipTimer}, so the simulator runs this same code over in-memory links in virtual time.
 *
 * <p>Thread-safety: public methods may be called from any thread. Router state is guarded by one lock;
 * subscriber callbacks run on Netty event loops (or a validator's thread) and must not block.
 */
public final class GossipRouter implements AutoCloseable {
    public static final String MESHSUB_V11 = "/meshsub/1.1.0";
    public static final String MESHSUB_V10 = "/meshsub/1.0.0";
    public static final String FLOODSUB = FloodsubRouter.PROTOCOL_ID;
    /** Largest RPC accepted or sent, in bytes (go-libp2p-pubsub DefaultMaxMessageSize). */
    public static final int MAX_RPC_BYTES = 1 << 20;
    /** Longest topic name, in characters (bridge capability limit). */
    public static final int MAX_TOPIC_LENGTH = 512;
    /** Most topics we subscribe to locally at once. */
    public static final int MAX_LOCAL_TOPICS = 1024;
    static final int MAX_SEEN_ENTRIES = 100_000;
    /** Validations in flight at once; beyond it new messages are ignored (back-pressure on validators). */
    static final int MAX_PENDING_VALIDATIONS = 1024;
    /** A validator that takes longer than this, in ms, yields IGNORE. */
    public static final long VALIDATION_TIMEOUT_MILLIS = 10_000;

    private static final Logger log = LoggerFactory.getLogger(GossipRouter.class);

    final GossipNetwork network;
    final GossipParams params;
    final GossipTimer timer;
    private final SignatureVerifier verifier;
    final Object lock = new Object();
    final Map<PeerId, PubsubPeer> peers = new ConcurrentHashMap<>();
    private final Map<String, List<LocalSubscription>> subscriptions = new ConcurrentHashMap<>();
    private final Map<String, MessageValidator> validators = new ConcurrentHashMap<>();
    private final SeenCache seen;
    private final MeshMaintenance mesh;
    private final AtomicLong nextSeqno;
    private final AtomicInteger pendingValidations = new AtomicInteger();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile GossipTimer.Cancellable heartbeat;
    private volatile boolean emitSelf;
    private final GossipNetwork.Events events = new GossipNetwork.Events() {
        @Override
        public void peerConnected(PeerId peer) {
            synchronized (lock) {
                mesh.scores().addPeer(peer, network.remoteIp(peer).orElse(null));
            }
            openOutbound(peer);
        }

        @Override
        public void peerDisconnected(PeerId peer) {
            if (peers.remove(peer) != null) {
                synchronized (lock) {
                    mesh.peerLeft(peer);
                }
            }
        }

        @Override
        public void inboundStream(PeerId peer, String protocol) {
            peers.computeIfAbsent(peer, PubsubPeer::new).noteInboundProtocol(protocol);
            openOutbound(peer);
        }

        @Override
        public void rpc(PeerId peer, RPC rpc) {
            handleRpc(peer, rpc);
        }
    };

    public GossipRouter(Host host) {
        this(host, GossipParams.defaults());
    }

    /** A router on a libp2p host, with wall-clock time and its own heartbeat thread. */
    public GossipRouter(Host host, GossipParams params) {
        this(new HostGossipNetwork(host), params,
                GossipTimer.system("gossipsub-heartbeat-" + host.peerId().toBase58().substring(0, 12)), new Random());
    }

    /**
     * A router on any {@link GossipNetwork} (the simulator's in-memory one, for instance).
     *
     * @param timer  clock and heartbeat scheduler
     * @param random source of every random choice (mesh candidates, gossip targets, first seqno): a seeded one
     *               makes a simulation reproducible; it is only used under the router's lock
     */
    public GossipRouter(GossipNetwork network, GossipParams params, GossipTimer timer, Random random) {
        this(network, params, timer, random, SignatureVerifier.strictSign());
    }

    /**
     * As {@link #GossipRouter(GossipNetwork, GossipParams, GossipTimer, Random)} with the signature check made
     * replaceable (the simulator caches StrictSign verdicts across its nodes).
     */
    public GossipRouter(GossipNetwork network, GossipParams params, GossipTimer timer, Random random,
                        SignatureVerifier verifier) {
        this(network, params, PeerScoreParams.defaults(), timer, random, verifier);
    }

    /**
     * The full constructor: as {@link #GossipRouter(GossipNetwork, GossipParams, GossipTimer, Random, SignatureVerifier)}
     * with the peer score parameters and thresholds ({@link PeerScoreParams#defaults()} otherwise).
     */
    public GossipRouter(GossipNetwork network, GossipParams params, PeerScoreParams scoreParams, GossipTimer timer,
                        Random random, SignatureVerifier verifier) {
        this.network = network;
        this.verifier = verifier;
        this.params = params;
        this.timer = timer;
        this.nextSeqno = new AtomicLong(random.nextLong() & Long.MAX_VALUE);
        this.seen = new SeenCache(params.seenTtlMillis(), MAX_SEEN_ENTRIES);
        this.mesh = new MeshMaintenance(this, random, scoreParams);
    }

    /** Starts listening for pubsub streams, opens streams to connected peers and starts the heartbeat. */
    public void start() {
        network.start(events);
        heartbeat = timer.every(params.heartbeatMillis(), this::safeHeartbeat);
    }

    /**
     * Subscribes locally, announces the topic and joins its mesh (GRAFT up to D peers).
     *
     * @param onMessage called once per message first seen on the topic (not for our own publishes)
     * @throws IllegalArgumentException for an empty or over-long topic, or more than {@value #MAX_LOCAL_TOPICS} topics
     */
    public Subscription subscribe(String topic, Consumer<PubsubMessage> onMessage) {
        checkTopic(topic);
        LocalSubscription subscription = new LocalSubscription(topic, onMessage);
        boolean first;
        synchronized (lock) {
            if (!subscriptions.containsKey(topic) && subscriptions.size() >= MAX_LOCAL_TOPICS) {
                throw new IllegalArgumentException("more than " + MAX_LOCAL_TOPICS + " topics");
            }
            List<LocalSubscription> list = subscriptions.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
            first = list.isEmpty();
            list.add(subscription);
            if (first) {
                announce(topic, true);
                mesh.join(topic);
            }
        }
        return subscription;
    }

    /** Registers (or with null removes) the validator of a topic; it runs before delivery and forwarding. */
    public void setValidator(String topic, MessageValidator validator) {
        checkTopic(topic);
        if (validator == null) {
            validators.remove(topic);
        } else {
            validators.put(topic, validator);
        }
    }

    /**
     * Signs and sends a message: to every peer subscribed to the topic under flood publishing, else to the
     * mesh (or fanout) plus floodsub peers.
     *
     * @return completes once the message is queued on the peers' streams (delivery is best effort)
     */
    public CompletableFuture<Void> publish(String topic, byte[] data) {
        checkTopic(topic);
        byte[] seqno = ByteBuffer.allocate(MessageSigning.SEQNO_BYTES).putLong(nextSeqno.getAndIncrement()).array();
        Message signed = MessageSigning.sign(network.localKey(), Message.newBuilder()
                .setFrom(ByteString.copyFrom(network.localPeer().bytes()))
                .setData(ByteString.copyFrom(data))
                .setSeqno(ByteString.copyFrom(seqno))
                .setTopic(topic)
                .build());
        if (signed.getSerializedSize() + 16 > MAX_RPC_BYTES) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("message larger than " + MAX_RPC_BYTES));
        }
        byte[] id = MessageSigning.messageId(signed);
        seen.firstSight(id, timer.nowMillis());
        byte[] rpc = RPC.newBuilder().addPublish(signed).build().toByteArray();
        synchronized (lock) {
            mesh.cache(id, signed);
            for (PeerId target : mesh.publishTargets(topic)) {
                send(target, rpc);
            }
        }
        List<LocalSubscription> local = emitSelf ? subscriptions.get(topic) : null;
        if (local != null) {
            PubsubMessage own = new PubsubMessage(topic, network.localPeer(), data.clone(), seqno);
            local.forEach(s -> s.deliver(own));
        }
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Whether {@link #publish} also delivers the message to this router's own subscribers of the topic (js-libp2p's
     * {@code emitSelf}; default false, as in libp2p). The daemon turns it on so that two pages on one node see each
     * other's messages, as floodsub did.
     */
    public void setEmitSelf(boolean emitSelf) {
        this.emitSelf = emitSelf;
    }

    /** Topics with at least one local subscriber. */
    public Set<String> topics() {
        return Set.copyOf(subscriptions.keySet());
    }

    /** Remote peers known to be subscribed to {@code topic}. */
    public List<PeerId> peersSubscribedTo(String topic) {
        List<PeerId> out = new ArrayList<>();
        peers.forEach((id, peer) -> {
            if (peer.topics().contains(topic)) {
                out.add(id);
            }
        });
        return out;
    }

    /** Our mesh peers for a topic (empty if we have not joined it). */
    public Set<PeerId> meshPeers(String topic) {
        synchronized (lock) {
            return mesh.meshPeers(topic);
        }
    }

    /** The protocol a peer speaks with us ({@link #MESHSUB_V11}, {@link #MESHSUB_V10}, {@link #FLOODSUB}) or null. */
    public String protocolOf(PeerId peer) {
        PubsubPeer p = peers.get(peer);
        return p == null ? null : p.protocol();
    }

    /** Messages received again after the first copy (duplicates suppressed by the seen cache). */
    public long duplicateMessages() {
        return duplicates.get();
    }

    /** Messages delivered to local subscribers (first copies that passed validation). */
    public long deliveredMessages() {
        return delivered.get();
    }

    /**
     * The v1.1 behaviour penalty counter (P7) of a peer: GRAFTs during backoff, IWANT floods, broken IWANT promises;
     * decays per heartbeat.
     */
    public double behaviourPenalty(PeerId peer) {
        synchronized (lock) {
            return mesh.behaviourPenalty(peer);
        }
    }

    /**
     * A peer's v1.1 score (P1–P7, see {@link PeerScoreParams}): positive for a peer that has been delivering messages
     * in our meshes, 0 for one we know nothing about, negative for invalid messages, mesh delivery failures, IP
     * colocation or misbehaviour.
     */
    public double score(PeerId peer) {
        synchronized (lock) {
            return mesh.score(peer);
        }
    }

    /**
     * The application-specific score of peers (P5, weighted by {@link PeerScoreParams#appSpecificWeight()}), e.g.
     * positive for peers an app trusts. Called under the router's lock: must be fast and must not call the router.
     */
    public void setAppSpecificScore(ToDoubleFunction<PeerId> appScore) {
        synchronized (lock) {
            mesh.scores().setAppScore(appScore);
        }
    }

    @Override
    public void close() {
        GossipTimer.Cancellable beat = heartbeat;
        if (beat != null) {
            beat.cancel();
        }
        network.stop();
        peers.values().forEach(PubsubPeer::closeOutbound);
        peers.clear();
    }

    boolean seen(byte[] messageId) {
        return seen.contains(messageId, timer.nowMillis());
    }

    boolean isSubscribed(String topic) {
        return subscriptions.containsKey(topic);
    }

    void send(PeerId peer, byte[] rpc) {
        PubsubPeer p = peers.get(peer);
        if (p != null) {
            p.send(rpc);
        }
    }

    static boolean isGossipProtocol(String protocol) {
        return MESHSUB_V11.equals(protocol) || MESHSUB_V10.equals(protocol);
    }

    private void safeHeartbeat() {
        try {
            synchronized (lock) {
                mesh.heartbeat();
            }
        } catch (RuntimeException e) {
            log.warn("gossipsub heartbeat failed", e);
        }
    }

    private void unsubscribe(LocalSubscription subscription) {
        synchronized (lock) {
            List<LocalSubscription> list = subscriptions.get(subscription.topic);
            if (list != null && list.remove(subscription) && list.isEmpty()) {
                subscriptions.remove(subscription.topic);
                announce(subscription.topic, false);
                mesh.leave(subscription.topic);
            }
        }
    }

    private void announce(String topic, boolean subscribe) {
        byte[] rpc = RPC.newBuilder()
                .addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(subscribe).setTopicid(topic))
                .build().toByteArray();
        peers.values().forEach(peer -> peer.send(rpc));
    }

    private void openOutbound(PeerId peerId) {
        if (peerId.equals(network.localPeer())) {
            return;
        }
        PubsubPeer peer = peers.computeIfAbsent(peerId, PubsubPeer::new);
        if (!peer.startOpening()) {
            return;
        }
        network.openStream(peerId, HostGossipNetwork.PROTOCOLS).whenComplete((RpcSink stream, Throwable error) -> {
            if (error != null) {
                peer.openFailed();
                log.debug("no pubsub stream to {}: {}", peerId, error.toString());
                return;
            }
            peer.opened(stream);
            RPC.Builder hello = RPC.newBuilder();
            for (String topic : subscriptions.keySet()) {
                hello.addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(topic));
            }
            if (hello.getSubscriptionsCount() > 0) {
                peer.send(hello.build().toByteArray());
            }
        });
    }

    private void handleRpc(PeerId source, RPC rpc) {
        PubsubPeer peer = peers.computeIfAbsent(source, PubsubPeer::new);
        synchronized (lock) {
            if (mesh.graylisted(source)) {
                return; // v1.1 "Score Thresholds": a graylisted peer's RPCs are ignored whole
            }
            for (RPC.SubOpts opts : rpc.getSubscriptionsList()) {
                String topic = opts.getTopicid();
                if (topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH) {
                    throw new DecodingException("bad topic in subscription from " + source);
                }
                if (!peer.updateTopic(topic, opts.getSubscribe())) {
                    throw new DecodingException(source + " subscribed to more than " + PubsubPeer.MAX_TOPICS + " topics");
                }
                if (!opts.getSubscribe()) {
                    mesh.peerLeftTopic(source, topic);
                }
            }
            if (rpc.hasControl()) {
                mesh.handleControl(source, rpc.getControl());
            }
        }
        for (Message message : rpc.getPublishList()) {
            handleMessage(source, message);
        }
    }

    private void handleMessage(PeerId source, Message message) {
        String topic = message.getTopic();
        if (topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH || !isSubscribed(topic)) {
            return;
        }
        byte[] id = MessageSigning.messageId(message);
        long now = timer.nowMillis();
        if (seen.contains(id, now)) {
            duplicate(source, id, topic);
            return;
        }
        PeerId author;
        try {
            author = verifier.verify(message);
        } catch (DecodingException e) {
            log.info("dropping message from {} on {}: {}", source, topic, e.getMessage());
            synchronized (lock) {
                mesh.scores().rejectMessage(source, id, topic, true);
            }
            return;
        }
        if (!seen.firstSight(id, now)) {
            duplicate(source, id, topic);
            return;
        }
        synchronized (lock) {
            mesh.scores().validateMessage(id);
            mesh.promiseKept(id);
        }
        PubsubMessage decoded = new PubsubMessage(topic, author, message.getData().toByteArray(),
                message.getSeqno().toByteArray());
        MessageValidator validator = validators.get(topic);
        if (validator == null) {
            accept(source, author, id, message, decoded);
            return;
        }
        if (pendingValidations.incrementAndGet() > MAX_PENDING_VALIDATIONS) {
            pendingValidations.decrementAndGet();
            log.debug("validation queue full; ignoring a message on {}", topic);
            return;
        }
        CompletableFuture<ValidationResult> result;
        try {
            result = validator.validate(decoded).toCompletableFuture();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.orTimeout(VALIDATION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).whenComplete((verdict, error) -> {
            pendingValidations.decrementAndGet();
            if (error != null) {
                verdict = error instanceof java.util.concurrent.TimeoutException
                        || error.getCause() instanceof java.util.concurrent.TimeoutException
                        ? ValidationResult.IGNORE : ValidationResult.REJECT;
            }
            switch (verdict) {
                case ACCEPT -> accept(source, author, id, message, decoded);
                case REJECT -> {
                    synchronized (lock) {
                        mesh.scores().rejectMessage(source, id, topic, false);
                    }
                }
                case IGNORE -> {
                    log.debug("validator ignored a message on {}", topic);
                    synchronized (lock) {
                        mesh.scores().ignoreMessage(id);
                    }
                }
            }
        });
    }

    private void duplicate(PeerId source, byte[] id, String topic) {
        duplicates.incrementAndGet();
        synchronized (lock) {
            mesh.scores().duplicateMessage(source, id, topic);
        }
    }

    private void accept(PeerId source, PeerId author, byte[] id, Message message, PubsubMessage decoded) {
        byte[] rpc = RPC.newBuilder().addPublish(message).build().toByteArray();
        synchronized (lock) {
            mesh.scores().deliverMessage(source, id, message.getTopic());
            mesh.cache(id, message);
            for (PeerId target : mesh.forwardTargets(message.getTopic())) {
                if (!target.equals(source) && !target.equals(author)) {
                    send(target, rpc);
                }
            }
        }
        List<LocalSubscription> local = subscriptions.get(message.getTopic());
        if (local != null) {
            delivered.incrementAndGet();
            local.forEach(s -> s.deliver(decoded));
        }
    }

    private static void checkTopic(String topic) {
        if (topic == null || topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH) {
            throw new IllegalArgumentException("topic must be 1.." + MAX_TOPIC_LENGTH + " characters");
        }
    }

    private final class LocalSubscription implements Subscription {
        private final String topic;
        private final Consumer<PubsubMessage> onMessage;

        LocalSubscription(String topic, Consumer<PubsubMessage> onMessage) {
            this.topic = topic;
            this.onMessage = onMessage;
        }

        @Override
        public String topic() {
            return topic;
        }

        void deliver(PubsubMessage message) {
            try {
                onMessage.accept(message);
            } catch (RuntimeException e) {
                log.warn("subscriber of {} failed", topic, e);
            }
        }

        @Override
        public void close() {
            unsubscribe(this);
        }
    }
}
