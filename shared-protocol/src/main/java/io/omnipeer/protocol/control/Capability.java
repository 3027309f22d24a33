package io.omnipeer.protocol.control;

import java.util.Objects;

/**
 * What an origin may do: a kind plus the caveat that narrows it, written {@code kind:argument}, e.g.
 * {@code pubsub:chat} (publish to and subscribe to exactly the topic "chat") or {@code peers:read}.
 * A caveat grants only what it names; an empty caveat grants nothing and is rejected (DESIGN.md, EIP-2255).
 *
 * <p>Immutable. Spec: API.md, "Capabilities".
 */
public record Capability(Kind kind, String argument) {
    /** Longest capability text accepted (kind, colon and argument), in UTF-16 chars; keeps grant rows small. */
    public static final int MAX_LENGTH = 512;

    /** The capability kinds the daemon knows; anything else is rejected when parsing. */
    public enum Kind {
        /** {@code pubsub:<topic>}: subscribe and publish on one exact topic. */
        PUBSUB("pubsub"),
        /** {@code peers:read}: read the node's connected peers. */
        PEERS("peers");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    public Capability {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(argument, "argument");
        if (argument.isEmpty()) {
            throw new IllegalArgumentException("capability " + kind.text + ": needs a non-empty argument");
        }
        if (kind == Kind.PEERS && !argument.equals("read")) {
            throw new IllegalArgumentException("capability peers:" + argument + ": only peers:read exists");
        }
        if (kind.text.length() + 1 + argument.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("capability longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < argument.length(); i++) {
            if (Character.isISOControl(argument.charAt(i))) {
                throw new IllegalArgumentException("capability argument contains a control character");
            }
        }
    }

    /** {@code pubsub:<topic>}. */
    public static Capability pubsub(String topic) {
        return new Capability(Kind.PUBSUB, topic);
    }

    /** {@code peers:read}. */
    public static Capability peersRead() {
        return new Capability(Kind.PEERS, "read");
    }

    /**
     * Parses {@code kind:argument}; the argument is everything after the first colon (topics may contain colons).
     *
     * @throws IllegalArgumentException for unknown kinds, a missing or empty argument, or over-long text
     */
    public static Capability parse(String text) {
        Objects.requireNonNull(text, "capability");
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("capability longer than " + MAX_LENGTH + " characters");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("capability \"" + text + "\": expected kind:argument");
        }
        String kindText = text.substring(0, colon);
        for (Kind kind : Kind.values()) {
            if (kind.text.equals(kindText)) {
                return new Capability(kind, text.substring(colon + 1));
            }
        }
        throw new IllegalArgumentException("unknown capability kind \"" + kindText + "\"");
    }

    /** The canonical text form, {@code kind:argument}. */
    @Override
    public String toString() {
        return kind.text + ":" + argument;
    }
}
