package io.omnipeer.pubsub.gossipsub;

import io.omnipeer.core.PeerId;
import io.omnipeer.pubsub.pb.PubsubProtos.Message;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gossipsub message cache: the messages of the last {@code historyLength} heartbeats, in sliding
 * windows. IDs of the newest {@code gossipLength} windows are advertised in IHAVE; any cached message
 * can be fetched with IWANT, at most {@code maxTransmissions} times per peer.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.0.md, "Message Cache"; gossipsub-v1.1.md
 * (GossipRetransmission). Not thread-safe: the router guards it with its lock.
 */
final class MessageCache {
    /** Most messages cached at once, whatever the publish rate (memory bound; extra messages are not cached). */
    static final int MAX_CACHED_MESSAGES = 50_000;

    private record Entry(Message message, Map<PeerId, Integer> served) {
    }

    private final int historyLength;
    private final int gossipLength;
    private final Map<ByteBuffer, Entry> messages = new HashMap<>();
    /** Newest window first; each holds the IDs added during one heartbeat. */
    private final ArrayDeque<List<ByteBuffer>> windows = new ArrayDeque<>();

    MessageCache(int historyLength, int gossipLength) {
        this.historyLength = historyLength;
        this.gossipLength = gossipLength;
        windows.addFirst(new ArrayList<>());
    }

    void put(byte[] messageId, Message message) {
        ByteBuffer key = ByteBuffer.wrap(messageId.clone());
        if (messages.size() >= MAX_CACHED_MESSAGES || messages.containsKey(key)) {
            return;
        }
        messages.put(key, new Entry(message, new HashMap<>()));
        windows.getFirst().add(key);
    }

    /** The message for an IWANT from {@code peer}, unless unknown or already sent to it {@code maxTransmissions} times. */
    Optional<Message> getForPeer(byte[] messageId, PeerId peer, int maxTransmissions) {
        Entry entry = messages.get(ByteBuffer.wrap(messageId));
        if (entry == null) {
            return Optional.empty();
        }
        int count = entry.served().merge(peer, 1, Integer::sum);
        return count > maxTransmissions ? Optional.empty() : Optional.of(entry.message());
    }

    boolean contains(byte[] messageId) {
        return messages.containsKey(ByteBuffer.wrap(messageId));
    }

    /** IDs of messages on {@code topic} from the newest {@code gossipLength} windows. */
    List<byte[]> gossipIds(String topic) {
        List<byte[]> out = new ArrayList<>();
        Iterator<List<ByteBuffer>> it = windows.iterator();
        for (int i = 0; i < gossipLength && it.hasNext(); i++) {
            for (ByteBuffer key : it.next()) {
                Entry entry = messages.get(key);
                if (entry != null && entry.message().getTopic().equals(topic)) {
                    out.add(key.array());
                }
            }
        }
        return out;
    }

    /** Called once per heartbeat: the oldest window falls out of the cache. */
    void shift() {
        windows.addFirst(new ArrayList<>());
        while (windows.size() > historyLength) {
            windows.removeLast().forEach(messages::remove);
        }
    }

    int size() {
        return messages.size();
    }
}
