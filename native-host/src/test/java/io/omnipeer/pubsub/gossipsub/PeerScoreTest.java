package io.omnipeer.pubsub.gossipsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.Ed25519PrivateKey;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The v1.1 score function term by term, on a manual clock: libp2p/specs pubsub/gossipsub/gossipsub-v1.1.md,
 * "The Score Function" (P1–P7), "Topic Parameter Calculation and Decay", "Score Thresholds".
 */
class PeerScoreTest {
    private static final String TOPIC = "t";
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final PeerId a = peer();
    private final PeerId b = peer();
    private final PeerId c = peer();

    private static PeerId peer() {
        return PeerId.fromPublicKey(Ed25519PrivateKey.generate().publicKey());
    }

    /** Only the term under test is non-zero. */
    private static TopicScoreParams topic(double w1, double w2, double w3, double w3b, double w4) {
        return new TopicScoreParams(1, w1, 1_000, 100, w2, 0.5, 5, w3, 0.5, 10, 4, 100, 5_000, w3b, 0.5, w4, 0.5);
    }

    private PeerScore score(TopicScoreParams t) {
        PeerScoreParams p = new PeerScoreParams(Map.of(TOPIC, t), topic(0, 0, 0, 0, 0), 0, 1, -2, 2, -3, 1, 0.5, 0.01,
                60_000, -10, -50, -80, 0, 1);
        return new PeerScore(p, now::get, 120_000);
    }

    private static byte[] id(int n) {
        return new byte[]{(byte) n, 1, 2, 3};
    }

    @Test
    void p1TimeInMeshGrowsPerQuantumUpToTheCapAndStopsOnPrune() {
        PeerScore s = score(topic(0.5, 0, 0, 0, 0));
        s.addPeer(a, null);
        s.graft(a, TOPIC);
        now.addAndGet(10_000);
        assertThat(s.score(a)).isCloseTo(0.5 * 10, within(1e-9));
        now.addAndGet(1_000_000);
        assertThat(s.score(a)).as("capped at 100 quanta").isCloseTo(0.5 * 100, within(1e-9));
        s.prune(a, TOPIC);
        assertThat(s.score(a)).isZero();
    }

    @Test
    void p2FirstDeliveriesAreCappedAndDecay() {
        PeerScore s = score(topic(0, 2, 0, 0, 0));
        s.addPeer(a, null);
        for (int i = 0; i < 8; i++) {
            s.validateMessage(id(i));
            s.deliverMessage(a, id(i), TOPIC);
        }
        assertThat(s.score(a)).as("cap 5").isCloseTo(2 * 5, within(1e-9));
        s.refresh();
        assertThat(s.score(a)).as("decay 0.5").isCloseTo(2 * 2.5, within(1e-9));
    }

    @Test
    void p3DeficitAppliesAfterActivationAndDuplicatesWithinTheWindowCount() {
        PeerScore s = score(topic(0, 0, -1, 0, 0)); // threshold 4, window 100 ms, activation 5 s
        for (PeerId p : new PeerId[]{a, b, c}) {
            s.addPeer(p, null);
            s.graft(p, TOPIC);
        }
        assertThat(s.score(a)).as("not active yet").isZero();
        now.addAndGet(5_000);
        assertThat(s.score(a)).as("deficit 4, squared").isCloseTo(-16, within(1e-9));

        s.validateMessage(id(1));
        s.duplicateMessage(b, id(1), TOPIC);          // while validating: credited when it validates
        s.deliverMessage(a, id(1), TOPIC);
        now.addAndGet(50);
        s.duplicateMessage(c, id(1), TOPIC);          // within the window
        now.addAndGet(100);
        s.duplicateMessage(c, id(1), TOPIC);          // the same peer again: once only
        assertThat(s.score(a)).isCloseTo(-9, within(1e-9));
        assertThat(s.score(b)).isCloseTo(-9, within(1e-9));
        assertThat(s.score(c)).isCloseTo(-9, within(1e-9));

        s.validateMessage(id(2));
        s.deliverMessage(a, id(2), TOPIC);
        now.addAndGet(500);
        s.duplicateMessage(b, id(2), TOPIC);          // too late for the window
        assertThat(s.score(a)).isCloseTo(-4, within(1e-9));
        assertThat(s.score(b)).isCloseTo(-9, within(1e-9));
    }

    @Test
    void p3bAPrunedPeerCarriesItsDeficitAsAPenalty() {
        PeerScore s = score(topic(0, 0, 0, -1, 0));
        s.addPeer(a, null);
        s.graft(a, TOPIC);
        now.addAndGet(6_000);
        s.prune(a, TOPIC);
        assertThat(s.score(a)).as("deficit 4 → penalty 16").isCloseTo(-16, within(1e-9));
        s.refresh();
        assertThat(s.score(a)).isCloseTo(-8, within(1e-9));
        // a peer pruned before activation owes nothing
        s.addPeer(b, null);
        s.graft(b, TOPIC);
        s.prune(b, TOPIC);
        assertThat(s.score(b)).isZero();
    }

    @Test
    void p4InvalidMessagesBlameTheSenderAndDuplicatesButABadSignatureOnlyTheSender() {
        PeerScore s = score(topic(0, 0, 0, 0, -1));
        s.validateMessage(id(1));
        s.duplicateMessage(b, id(1), TOPIC);
        s.rejectMessage(a, id(1), TOPIC, false);
        s.duplicateMessage(c, id(1), TOPIC);
        assertThat(s.score(a)).isCloseTo(-1, within(1e-9));
        assertThat(s.score(b)).isCloseTo(-1, within(1e-9));
        assertThat(s.score(c)).isCloseTo(-1, within(1e-9));

        s.rejectMessage(a, id(2), TOPIC, true);
        s.duplicateMessage(b, id(2), TOPIC);
        assertThat(s.score(a)).as("two invalid, squared").isCloseTo(-4, within(1e-9));
        assertThat(s.score(b)).isCloseTo(-1, within(1e-9));

        s.validateMessage(id(3));
        s.ignoreMessage(id(3));
        s.duplicateMessage(c, id(3), TOPIC);
        assertThat(s.score(c)).as("ignored: no blame").isCloseTo(-1, within(1e-9));
    }

    @Test
    void topicScoresAreCappedButNegativeOnesNever() {
        PeerScoreParams p = new PeerScoreParams(Map.of(), topic(0, 10, 0, 0, -1), 3, 0, -1, 1, -1, 0, 0.5, 0.01,
                60_000, -10, -50, -80, 0, 1);
        PeerScore s = new PeerScore(p, now::get, 120_000);
        s.validateMessage(id(1));
        s.deliverMessage(a, id(1), TOPIC);
        assertThat(s.score(a)).isCloseTo(3, within(1e-9));
        for (int i = 0; i < 4; i++) {
            s.rejectMessage(b, id(10 + i), TOPIC, true);
        }
        assertThat(s.score(b)).isCloseTo(-16, within(1e-9));
    }

    @Test
    void p5AppScoreP6ColocationAndP7PenaltyBeyondItsThreshold() {
        PeerScore s = score(topic(0, 0, 0, 0, 0)); // P5 weight 1; P6 weight -2 above 2 per IP; P7 weight -3 above 1
        s.setAppScore(p -> p.equals(a) ? 4 : 0);
        assertThat(s.score(a)).isCloseTo(4, within(1e-9));

        s.addPeer(a, "203.0.113.7");
        s.addPeer(b, "203.0.113.7");
        assertThat(s.score(b)).as("two on one IP: at the threshold").isZero();
        s.addPeer(c, "203.0.113.7");
        assertThat(s.score(c)).as("one over: -2 * 1²").isCloseTo(-2, within(1e-9));
        s.removePeer(c);
        assertThat(s.score(b)).isZero();

        s.addBehaviourPenalty(b, 1);
        assertThat(s.score(b)).as("at the P7 threshold").isZero();
        s.addBehaviourPenalty(b, 2);
        assertThat(s.score(b)).isCloseTo(-3 * 4, within(1e-9));
        assertThat(s.graylisted(b)).isFalse();
        assertThat(s.acceptsGossip(b)).isFalse();
        s.addBehaviourPenalty(b, 4);
        assertThat(s.graylisted(b)).isTrue();
    }

    @Test
    void aDisconnectedPeerKeepsItsPenaltiesUntilRetentionEnds() {
        PeerScore s = score(topic(0, 0, 0, 0, -1));
        s.addPeer(a, null);
        s.rejectMessage(a, id(1), TOPIC, true);
        s.removePeer(a);
        s.addPeer(a, null);
        assertThat(s.score(a)).as("reconnecting keeps P4").isCloseTo(-1, within(1e-9));
        s.removePeer(a);
        now.addAndGet(60_000);
        s.refresh();
        assertThat(s.score(a)).isZero();
    }

    @Test
    void parametersWithTheWrongSignAreRefused() {
        assertThatThrownBy(() -> topic(0, 0, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> topic(0, 0, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PeerScoreParams(Map.of(), TopicScoreParams.defaults(), 0, 1, -1, 1, -1, 0, 0.5,
                0.01, 0, -10, -5, -80, 0, 1)).as("publish above gossip").isInstanceOf(IllegalArgumentException.class);
    }
}
