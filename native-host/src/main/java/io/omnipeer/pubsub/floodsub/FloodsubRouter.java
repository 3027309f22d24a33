package io.omnipeer.pubsub.floodsub;

import com.google.protobuf.ByteString;
import io.omnipeer.core.Connection;
import io.omnipeer.core.ConnectionListener;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Host;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.Stream;
import io.omnipeer.pubsub.MessageSigning;
import io.omnipeer.pubsub.PubsubMessage;
import io.omnipeer.pubsub.PubsubPeer;
import io.omnipeer.pubsub.RpcInboundHandler;
import io.omnipeer.pubsub.SeenCache;
import io.omnipeer.pubsub.Subscription;
import io.omnipeer.pubsub.pb.PubsubProtos.Message;
import io.omnipeer.pubsub.pb.PubsubProtos.RPC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Floodsub: every message is sent to every connected peer subscribed to its topic, once.
 * Spec: libp2p/specs pubsub/README.md (RPC, messages, StrictSign) with protocol id {@code /floodsub/1.0.0}.
 *
 * <p>Each side opens one long-lived outbound stream per peer and writes uvarint-length-prefixed
 * {@code RPC} protobufs on it; the peer's own outbound stream is our inbound one. A malformed RPC
 * resets only the stream it came on; a message with a bad signature is dropped and logged.
 *
 * <p>Thread-safety: all public methods may be called from any thread. Subscriber callbacks run on a
 * Netty event loop and must not block.
 */
public final class FloodsubRouter implements AutoCloseable {
    public static final String PROTOCOL_ID = "/floodsub/1.0.0";
    /** Largest RPC accepted, in bytes (go-libp2p-pubsub DefaultMaxMessageSize). */
    public static final int MAX_RPC_BYTES = 1 << 20;
    /** Most topics remembered per remote peer, so a peer cannot grow our tables without bound. */
    static final int MAX_TOPICS_PER_PEER = PubsubPeer.MAX_TOPICS;
    /** Longest topic name accepted, in UTF-8 characters. */
    static final int MAX_TOPIC_LENGTH = 512;
    /** How long a message ID is remembered (go-libp2p-pubsub TimeCacheDuration, 120 s). */
    static final long SEEN_TTL_MILLIS = 120_000;
    static final int MAX_SEEN_ENTRIES = 100_000;

    private static final Logger log = LoggerFactory.getLogger(FloodsubRouter.class);

    private final Host host;
    private final Map<PeerId, PubsubPeer> peers = new ConcurrentHashMap<>();
    private final Map<String, List<LocalSubscription>> subscriptions = new ConcurrentHashMap<>();
    private final SeenCache seen = new SeenCache(SEEN_TTL_MILLIS, MAX_SEEN_ENTRIES);
    private final AtomicLong nextSeqno = new AtomicLong(new SecureRandom().nextLong() & Long.MAX_VALUE);
    private final ConnectionListener connectionListener = new ConnectionListener() {
        @Override
        public void onConnected(Connection connection) {
            openOutbound(connection.remotePeer());
        }

        @Override
        public void onDisconnected(Connection connection) {
            PeerId peer = connection.remotePeer();
            if (host.connection(peer).isEmpty()) {
                peers.remove(peer);
            }
        }
    };

    public FloodsubRouter(Host host) {
        this.host = host;
    }

    /** Registers the protocol handler and opens streams to already connected peers. */
    public void start() {
        host.setStreamHandler(PROTOCOL_ID, this::onInboundStream);
        host.addConnectionListener(connectionListener);
        for (Connection connection : host.connections()) {
            openOutbound(connection.remotePeer());
        }
    }

    /**
     * Subscribes locally and announces the topic to every peer.
     *
     * @param onMessage called once per message first seen on this topic (not for our own publishes)
     * @throws IllegalArgumentException if the topic is empty or longer than {@value #MAX_TOPIC_LENGTH}
     */
    public Subscription subscribe(String topic, Consumer<PubsubMessage> onMessage) {
        checkTopic(topic);
        LocalSubscription subscription = new LocalSubscription(topic, onMessage);
        boolean first;
        synchronized (subscriptions) {
            List<LocalSubscription> list = subscriptions.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>());
            first = list.isEmpty();
            list.add(subscription);
        }
        if (first) {
            announce(topic, true);
        }
        return subscription;
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

    /**
     * Signs and sends a message to every peer subscribed to the topic.
     *
     * @return completes once the message is queued on every peer's stream (delivery is best effort)
     */
    public CompletableFuture<Void> publish(String topic, byte[] data) {
        checkTopic(topic);
        byte[] seqno = ByteBuffer.allocate(MessageSigning.SEQNO_BYTES).putLong(nextSeqno.getAndIncrement()).array();
        Message unsigned = Message.newBuilder()
                .setFrom(ByteString.copyFrom(host.peerId().bytes()))
                .setData(ByteString.copyFrom(data))
                .setSeqno(ByteString.copyFrom(seqno))
                .setTopic(topic)
                .build();
        Message signed = MessageSigning.sign(host.privateKey(), unsigned);
        seen.firstSight(messageId(signed), System.currentTimeMillis());
        forward(signed, null, host.peerId());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {
        host.removeStreamHandler(PROTOCOL_ID);
        peers.values().forEach(PubsubPeer::closeOutbound);
        peers.clear();
    }

    private void unsubscribe(LocalSubscription subscription) {
        boolean last = false;
        synchronized (subscriptions) {
            List<LocalSubscription> list = subscriptions.get(subscription.topic);
            if (list != null && list.remove(subscription) && list.isEmpty()) {
                subscriptions.remove(subscription.topic);
                last = true;
            }
        }
        if (last) {
            announce(subscription.topic, false);
        }
    }

    private void announce(String topic, boolean subscribe) {
        RPC rpc = RPC.newBuilder()
                .addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(subscribe).setTopicid(topic))
                .build();
        byte[] bytes = rpc.toByteArray();
        peers.values().forEach(peer -> peer.send(bytes));
    }

    private void openOutbound(PeerId peerId) {
        if (peerId.equals(host.peerId())) {
            return;
        }
        PubsubPeer peer = peers.computeIfAbsent(peerId, PubsubPeer::new);
        if (!peer.startOpening()) {
            return;
        }
        host.newStream(peerId, PROTOCOL_ID).whenComplete((stream, error) -> {
            if (error != null) {
                peer.openFailed();
                log.debug("no floodsub stream to {}: {}", peerId, error.toString());
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

    private void onInboundStream(Stream stream) {
        PeerId from = stream.remotePeer();
        RpcInboundHandler.install(stream, MAX_RPC_BYTES, this::handleRpc);
        openOutbound(from);
    }

    private void handleRpc(PeerId source, RPC rpc) {
        PubsubPeer peer = peers.computeIfAbsent(source, PubsubPeer::new);
        for (RPC.SubOpts opts : rpc.getSubscriptionsList()) {
            String topic = opts.getTopicid();
            if (topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH) {
                throw new DecodingException("bad topic in subscription from " + source);
            }
            if (opts.getSubscribe()) {
                if (!peer.updateTopic(topic, true)) {
                    throw new DecodingException(source + " subscribed to more than " + MAX_TOPICS_PER_PEER + " topics");
                }
            } else {
                peer.updateTopic(topic, false);
            }
        }
        for (Message message : rpc.getPublishList()) {
            handleMessage(source, message);
        }
    }

    private void handleMessage(PeerId source, Message message) {
        String topic = message.getTopic();
        if (topic.isEmpty() || topic.length() > MAX_TOPIC_LENGTH) {
            log.debug("dropping message with a bad topic from {}", source);
            return;
        }
        PeerId author;
        try {
            author = MessageSigning.verify(message);
        } catch (DecodingException e) {
            log.info("dropping message from {} on {}: {}", source, topic, e.getMessage());
            return;
        }
        if (!seen.firstSight(messageId(message), System.currentTimeMillis())) {
            return;
        }
        List<LocalSubscription> local = subscriptions.get(topic);
        if (local != null) {
            PubsubMessage delivered = new PubsubMessage(topic, author, message.getData().toByteArray(),
                    message.getSeqno().toByteArray());
            for (LocalSubscription subscription : local) {
                subscription.deliver(delivered);
            }
        }
        forward(message, source, author);
    }

    private void forward(Message message, PeerId source, PeerId author) {
        byte[] rpc = RPC.newBuilder().addPublish(message).build().toByteArray();
        peers.forEach((id, peer) -> {
            if (!id.equals(source) && !id.equals(author) && peer.topics().contains(message.getTopic())) {
                peer.send(rpc);
            }
        });
    }

    private static byte[] messageId(Message message) {
        return MessageSigning.messageId(message);
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
