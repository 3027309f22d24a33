package io.omnipeer.negotiation.multistream;

import static io.omnipeer.negotiation.multistream.MultistreamNegotiator.NA;
import static io.omnipeer.negotiation.multistream.MultistreamNegotiator.PROTOCOL_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The message flow of libp2p/specs connections/README.md, "multistream-select" (multistream.plantuml). */
class MultistreamNegotiatorTest {

    @Test
    void initiatorPipelinesHeaderAndFirstProposal() {
        MultistreamNegotiator n = MultistreamNegotiator.initiator(List.of("/noise", "/tls/1.0.0"));
        assertThat(n.start()).containsExactly(PROTOCOL_ID, "/noise");
        assertThat(n.onMessage(PROTOCOL_ID)).isEmpty();
        assertThat(n.onMessage("/noise")).isEmpty();
        assertThat(n.selected()).contains("/noise");
    }

    @Test
    void initiatorTriesTheNextProtocolAfterNa() {
        MultistreamNegotiator n = MultistreamNegotiator.initiator(List.of("/a", "/b"));
        n.start();
        n.onMessage(PROTOCOL_ID);
        assertThat(n.onMessage(NA)).containsExactly("/b");
        assertThat(n.selected()).isEmpty();
        n.onMessage("/b");
        assertThat(n.selected()).contains("/b");
    }

    @Test
    void initiatorFailsWhenEveryProposalIsRefused() {
        MultistreamNegotiator n = MultistreamNegotiator.initiator(List.of("/a"));
        n.start();
        n.onMessage(PROTOCOL_ID);
        assertThatThrownBy(() -> n.onMessage(NA)).isInstanceOf(NegotiationException.class).hasMessageContaining("none of");
    }

    @Test
    void initiatorRejectsAWrongHeaderOrAnUnexpectedAnswer() {
        MultistreamNegotiator n = MultistreamNegotiator.initiator(List.of("/a"));
        assertThatThrownBy(() -> n.onMessage("/multistream/2.0.0")).isInstanceOf(NegotiationException.class);
        MultistreamNegotiator m = MultistreamNegotiator.initiator(List.of("/a"));
        m.onMessage(PROTOCOL_ID);
        assertThatThrownBy(() -> m.onMessage("/b")).isInstanceOf(NegotiationException.class);
    }

    @Test
    void responderEchoesHeaderAndSupportedProtocol() {
        MultistreamNegotiator n = MultistreamNegotiator.responder(() -> Set.of("/yamux/1.0.0"));
        assertThat(n.start()).isEmpty();
        assertThat(n.onMessage(PROTOCOL_ID)).containsExactly(PROTOCOL_ID);
        assertThat(n.onMessage("/mplex/6.7.0")).containsExactly(NA);
        assertThat(n.onMessage("ls")).containsExactly(NA);
        assertThat(n.onMessage("/yamux/1.0.0")).containsExactly("/yamux/1.0.0");
        assertThat(n.selected()).contains("/yamux/1.0.0");
    }

    @Test
    void responderRequiresTheHeaderFirst() {
        MultistreamNegotiator n = MultistreamNegotiator.responder(() -> Set.of("/a"));
        assertThatThrownBy(() -> n.onMessage("/a")).isInstanceOf(NegotiationException.class).hasMessageContaining(PROTOCOL_ID);
    }

    @Test
    void responderBoundsTheNumberOfProposals() {
        MultistreamNegotiator n = MultistreamNegotiator.responder(Set::of);
        n.onMessage(PROTOCOL_ID);
        for (int i = 0; i < MultistreamNegotiator.MAX_PROPOSALS; i++) {
            assertThat(n.onMessage("/p" + i)).containsExactly(NA);
        }
        assertThatThrownBy(() -> n.onMessage("/again")).isInstanceOf(NegotiationException.class);
    }
}
