package io.omnipeer.negotiation.multistream;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The multistream-select state machine, free of bytes and channels: it consumes received messages
 * (text without the newline) and says which messages to send back.
 * Spec: libp2p/specs connections/README.md, "multistream-select".
 *
 * <p>The initiator pipelines the multistream header and its first proposal in {@link #start()}, then moves on
 * to the next proposal on every {@code "na"}. The responder answers the header with the header, echoes a
 * supported protocol and answers anything else (including {@code "ls"}) with {@code "na"}.
 * Not thread-safe: drive it from one thread (the channel's event loop).
 */
public final class MultistreamNegotiator {
    /** Protocol id of multistream-select itself, sent first by both sides. */
    public static final String PROTOCOL_ID = "/multistream/1.0.0";
    /** "Not available": the responder does not support the proposed protocol. */
    public static final String NA = "na";
    /** Listing request; we answer it with {@link #NA} (listing is optional and unspecified). */
    public static final String LS = "ls";
    /** A responder refuses more than this many proposals on one channel (bounds a proposing loop). */
    public static final int MAX_PROPOSALS = 64;

    private final boolean initiator;
    private final List<String> proposals;
    private final Supplier<? extends Collection<String>> supported;
    private boolean headerReceived;
    private int proposalIndex;
    private int proposalsSeen;
    private String selected;

    private MultistreamNegotiator(boolean initiator, List<String> proposals, Supplier<? extends Collection<String>> supported) {
        this.initiator = initiator;
        this.proposals = proposals;
        this.supported = supported;
    }

    /**
     * Initiator proposing {@code protocols} in order of preference.
     * @throws IllegalArgumentException if {@code protocols} is empty
     */
    public static MultistreamNegotiator initiator(List<String> protocols) {
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException("no protocol to propose");
        }
        return new MultistreamNegotiator(true, List.copyOf(protocols), null);
    }

    /** Responder selecting from {@code supported}, read afresh for every proposal (it may change at run time). */
    public static MultistreamNegotiator responder(Supplier<? extends Collection<String>> supported) {
        return new MultistreamNegotiator(false, List.of(), Objects.requireNonNull(supported));
    }

    public boolean isInitiator() {
        return initiator;
    }

    /** Messages to send as soon as the channel is open: header and first proposal for the initiator, none for the responder. */
    public List<String> start() {
        return initiator ? List.of(PROTOCOL_ID, proposals.get(0)) : List.of();
    }

    /** The agreed protocol, once negotiation succeeded. */
    public Optional<String> selected() {
        return Optional.ofNullable(selected);
    }

    /**
     * Feeds one received message.
     * @return the messages to send in reply (possibly none)
     * @throws NegotiationException if the peer broke the protocol or no proposal was accepted
     * @throws IllegalStateException if called after a protocol was selected
     */
    public List<String> onMessage(String message) {
        if (selected != null) {
            throw new IllegalStateException("negotiation already finished with " + selected);
        }
        if (!headerReceived) {
            if (!PROTOCOL_ID.equals(message)) {
                throw new NegotiationException("expected " + PROTOCOL_ID + ", got '" + printable(message) + "'");
            }
            headerReceived = true;
            return initiator ? List.of() : List.of(PROTOCOL_ID);
        }
        return initiator ? onResponse(message) : onProposal(message);
    }

    private List<String> onResponse(String message) {
        String proposed = proposals.get(proposalIndex);
        if (proposed.equals(message)) {
            selected = proposed;
            return List.of();
        }
        if (!NA.equals(message)) {
            throw new NegotiationException("proposed " + proposed + ", peer answered '" + printable(message) + "'");
        }
        proposalIndex++;
        if (proposalIndex == proposals.size()) {
            throw new NegotiationException("peer supports none of " + proposals);
        }
        return List.of(proposals.get(proposalIndex));
    }

    private List<String> onProposal(String message) {
        if (++proposalsSeen > MAX_PROPOSALS) {
            throw new NegotiationException("peer made more than " + MAX_PROPOSALS + " proposals");
        }
        if (!LS.equals(message) && !PROTOCOL_ID.equals(message) && supported.get().contains(message)) {
            selected = message;
            return List.of(message);
        }
        return List.of(NA);
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
