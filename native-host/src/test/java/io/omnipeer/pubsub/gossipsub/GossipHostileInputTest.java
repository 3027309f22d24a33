package io.omnipeer.pubsub.gossipsub;

import com.google.protobuf.ByteString;
import io.omnipeer.core.PeerId;
import io.omnipeer.pubsub.MessageSigning;
import io.omnipeer.pubsub.PubsubMessage;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlGraft;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlIHave;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlIWant;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlMessage;
import io.omnipeer.pubsub.pb.PubsubProtos.ControlPrune;
import io.omnipeer.pubsub.pb.PubsubProtos.Message;
import io.omnipeer.pubsub.pb.PubsubProtos.RPC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hand-driven peer sends gossip control traffic to a real router: IHAVE/IWANT exchange, GRAFT during backoff,
 * an IWANT flood, garbage and oversized RPCs. The router bounds its replies and keeps serving an honest peer.
 * Spec: libp2p/specs pubsub/gossipsub/gossipsub-v1.1.md, "PRUNE Backoff and Peer Exchange", "Spam Protection Measures".
 */
class GossipHostileInputTest {
    private static final String TOPIC = "hostile";
    private final LoopbackNet net = new LoopbackNet();
    private GossipRouter victim;
    private GossipRouter honest;
    private RawGossipPeer raw;
    private final List<PubsubMessage> atHonest = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        victim = net.gossip(GossipParams.defaults());
        honest = net.gossip(GossipParams.defaults());
        LoopbackNet.connect(net.hosts.get(1), net.hosts.get(0));
        victim.subscribe(TOPIC, m -> { });
        honest.subscribe(TOPIC, atHonest::add);
        raw = new RawGossipPeer(net.host());
        raw.openTo(net.hosts.get(0));
        raw.send(RPC.newBuilder().addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(TOPIC)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> victim.peersSubscribedTo(TOPIC).size() == 2);
    }

    @AfterEach
    void stop() throws Exception {
        net.close();
    }

    private PeerId rawId() {
        return raw.host.peerId();
    }

    private static RPC control(ControlMessage.Builder control) {
        return RPC.newBuilder().setControl(control).build();
    }

    private static RPC prune() {
        return control(ControlMessage.newBuilder().addPrune(ControlPrune.newBuilder().setTopicID(TOPIC).setBackoff(60)));
    }

    private static RPC graft() {
        return control(ControlMessage.newBuilder().addGraft(ControlGraft.newBuilder().setTopicID(TOPIC)));
    }

    @Test
    void graftDuringBackoffIsRefusedWithPruneAndPenalised() throws Exception {
        raw.send(graft());
        await().atMost(Duration.ofSeconds(10)).until(() -> victim.meshPeers(TOPIC).contains(rawId()));
        raw.send(prune());
        await().atMost(Duration.ofSeconds(10)).until(() -> !victim.meshPeers(TOPIC).contains(rawId()));
        long prunesBefore = raw.prunes(TOPIC);

        raw.send(graft());

        await().atMost(Duration.ofSeconds(10)).until(() -> raw.prunes(TOPIC) > prunesBefore);
        assertThat(victim.meshPeers(TOPIC)).doesNotContain(rawId());
        assertThat(victim.behaviourPenalty(rawId())).isGreaterThanOrEqualTo(1);
        victim.publish(TOPIC, "still serving".getBytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> atHonest.size() == 1);
    }

    @Test
    void ihaveAndIWantWorkBothWays() throws Exception {
        // Keep the raw peer out of the mesh (PRUNE backoff), so it is a gossip target.
        raw.send(prune());
        victim.publish(TOPIC, "gossiped".getBytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> raw.received.stream().anyMatch(r ->
                r.getControl().getIhaveList().stream().anyMatch(i -> i.getTopicID().equals(TOPIC))));
        ByteString id = raw.received.stream().flatMap(r -> r.getControl().getIhaveList().stream())
                .flatMap(i -> i.getMessageIDsList().stream()).findFirst().orElseThrow();
        int before = raw.messages().size();
        raw.send(control(ControlMessage.newBuilder().addIwant(ControlIWant.newBuilder().addMessageIDs(id))));
        await().atMost(Duration.ofSeconds(10)).until(() -> raw.messages().size() > before);
        assertThat(raw.messages().getLast().getData().toStringUtf8()).isEqualTo("gossiped");

        // The other way: the raw peer advertises a message the victim has not seen; the victim asks for it.
        Message own = MessageSigning.sign(raw.host.privateKey(), Message.newBuilder()
                .setFrom(ByteString.copyFrom(rawId().bytes())).setData(ByteString.copyFromUtf8("from raw"))
                .setSeqno(ByteString.copyFrom(new byte[]{0, 0, 0, 0, 0, 0, 0, 7})).setTopic(TOPIC).build());
        ByteString ownId = ByteString.copyFrom(MessageSigning.messageId(own));
        raw.send(control(ControlMessage.newBuilder().addIhave(ControlIHave.newBuilder().setTopicID(TOPIC).addMessageIDs(ownId))));
        await().atMost(Duration.ofSeconds(10)).until(() -> raw.received.stream()
                .flatMap(r -> r.getControl().getIwantList().stream()).anyMatch(w -> w.getMessageIDsList().contains(ownId)));
        raw.send(RPC.newBuilder().addPublish(own).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> atHonest.stream().anyMatch(m -> new String(m.data()).equals("from raw")));
    }

    @Test
    void advertisingMessagesAndNeverDeliveringThemBreaksIWantPromises() throws Exception {
        // IHAVE for messages that do not exist: the victim asks (IWANT), nothing comes, each broken promise is a
        // behaviour penalty once the follow-up time has passed (v1.1 "Spam Protection Measures").
        for (int round = 0; round < 3; round++) {
            ByteString bogus = ByteString.copyFrom(new byte[]{9, 9, 9, (byte) round});
            raw.send(control(ControlMessage.newBuilder().addIhave(ControlIHave.newBuilder().setTopicID(TOPIC)
                    .addMessageIDs(bogus))));
            await().atMost(Duration.ofSeconds(10)).until(() -> raw.received.stream()
                    .flatMap(r -> r.getControl().getIwantList().stream()).anyMatch(w -> w.getMessageIDsList().contains(bogus)));
        }
        assertThat(victim.behaviourPenalty(rawId())).as("promises still open").isZero();
        await().atMost(Duration.ofSeconds(GossipPromises.FOLLOW_UP_MILLIS / 1000 + 10))
                .until(() -> victim.behaviourPenalty(rawId()) >= 2.5);
        // a peer that does deliver what it advertised keeps a clean record
        assertThat(victim.behaviourPenalty(net.hosts.get(1).peerId())).isZero();
    }

    @Test
    void iwantFloodIsBoundedAndTheNodeKeepsServingOthers() throws Exception {
        raw.send(prune());
        for (int i = 0; i < 10; i++) {
            victim.publish(TOPIC, ("m" + i).getBytes());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> atHonest.size() == 10);
        List<ByteString> ids = atHonest.stream().map(m -> ByteString.copyFrom(concat(m.from().bytes(), m.seqno()))).toList();
        int before = raw.messages().size();
        // Each real ID asked 50 times: served at most GOSSIP_RETRANSMISSION times each.
        ControlIWant.Builder repeated = ControlIWant.newBuilder();
        for (int k = 0; k < 50; k++) {
            repeated.addAllMessageIDs(ids);
        }
        raw.send(control(ControlMessage.newBuilder().addIwant(repeated)));
        // Then a flood of unknown IDs: 10 RPCs of 20,000 8-byte IDs each (~200 KB per RPC), each one over the
        // per-heartbeat budget by itself, so each costs a penalty however the heartbeats fall.
        Random random = new Random(1);
        for (int r = 0; r < 10; r++) {
            ControlIWant.Builder flood = ControlIWant.newBuilder();
            for (int k = 0; k < 4 * MeshMaintenance.MAX_IWANT_IDS_PER_HEARTBEAT; k++) {
                byte[] bogus = new byte[8];
                random.nextBytes(bogus);
                flood.addMessageIDs(ByteString.copyFrom(bogus));
            }
            raw.send(control(ControlMessage.newBuilder().addIwant(flood)));
        }
        // Each RPC past the per-heartbeat budget is a behaviour penalty, until the score is under the gossip
        // threshold and the victim stops reading the peer's IHAVE/IWANT at all.
        await().atMost(Duration.ofSeconds(20)).until(() -> victim.score(rawId()) < PeerScoreParams.defaults().gossipThreshold());
        int afterFlood = raw.messages().size();
        raw.send(control(ControlMessage.newBuilder().addIwant(ControlIWant.newBuilder().addAllMessageIDs(ids))));

        victim.publish(TOPIC, "after the flood".getBytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> atHonest.size() == 11);
        assertThat(raw.messages().size() - before).isLessThanOrEqualTo(ids.size() * MeshMaintenance.GOSSIP_RETRANSMISSION + 1);
        // Below the gossip threshold: its IWANT went unanswered (the honest publish above was delivered after it).
        assertThat(raw.messages().size()).isLessThanOrEqualTo(afterFlood + 1);
    }

    @Test
    void invalidSignaturesGraylistThePeerAndItsValidMessagesAreIgnored() throws Exception {
        for (int i = 1; i <= 3; i++) {
            Message forged = signedByRaw("forged " + i, i).toBuilder().setData(ByteString.copyFromUtf8("tampered")).build();
            raw.send(RPC.newBuilder().addPublish(forged).build());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> victim.score(rawId()) < PeerScoreParams.defaults().graylistThreshold());
        long delivered = victim.deliveredMessages();

        raw.send(RPC.newBuilder().addPublish(signedByRaw("valid but graylisted", 99)).build());
        // Frames on one stream are handled in order: once this garbage resets the stream, the message before it was seen.
        raw.sendRaw(new byte[]{(byte) 0xff, (byte) 0xff, 0x01, 0x02});
        await().atMost(Duration.ofSeconds(10)).until(() -> !raw.streamOpen());

        assertThat(victim.deliveredMessages()).isEqualTo(delivered);
        victim.publish(TOPIC, "others unaffected".getBytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> atHonest.size() == 1);
    }

    private Message signedByRaw(String text, int seqno) {
        return MessageSigning.sign(raw.host.privateKey(), Message.newBuilder()
                .setFrom(ByteString.copyFrom(rawId().bytes())).setData(ByteString.copyFromUtf8(text))
                .setSeqno(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(seqno).array()))
                .setTopic(TOPIC).build());
    }

    @Test
    void garbageAndOversizedRpcsResetOnlyThatStream() throws Exception {
        raw.sendRaw(new byte[]{(byte) 0xff, (byte) 0xff, 0x01, 0x02});
        await().atMost(Duration.ofSeconds(10)).until(() -> !raw.streamOpen());
        raw.openTo(net.hosts.get(0));
        raw.sendRaw(new byte[GossipRouter.MAX_RPC_BYTES + 1]);
        await().atMost(Duration.ofSeconds(10)).until(() -> !raw.streamOpen());

        victim.publish(TOPIC, "unharmed".getBytes());
        await().atMost(Duration.ofSeconds(10)).until(() -> atHonest.size() == 1);
        assertThat(net.hosts.get(0).connection(net.hosts.get(1).peerId())).isPresent();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
