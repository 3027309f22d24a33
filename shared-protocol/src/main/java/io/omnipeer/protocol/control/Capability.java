package io.omnipeer.protocol.control;

import java.util.Objects;

/**
 * What an origin or app may do: a kind plus the caveat that narrows it, written {@code kind:argument}, e.g.
 * {@code pubsub:chat} (publish to and subscribe to exactly the topic "chat") or {@code peers:read}; or a bare
 * kind without caveat ({@code storage}, {@code notifications}). A caveat grants only what it names; an empty
 * caveat grants nothing and is rejected (DESIGN.md, EIP-2255). For an installed app, topics, protocols, DHT
 * keys and storage are namespaced under {@code /omnipeer/app/<appId>/} by the daemon, never by the caller.
 *
 * <table>
 *   <caption>Capabilities</caption>
 *   <tr><th>text</th><th>grants</th></tr>
 *   <tr><td>{@code pubsub:<topic>}</td><td>subscribe and publish on exactly that topic</td></tr>
 *   <tr><td>{@code stream:<protocol>}</td><td>open and handle streams of exactly that protocol</td></tr>
 *   <tr><td>{@code dht:<key-prefix>}</td><td>get and put DHT values whose key starts with the prefix</td></tr>
 *   <tr><td>{@code storage}</td><td>the caller's own key-value storage, within its quota</td></tr>
 *   <tr><td>{@code peers:read}</td><td>read the node's connected peers</td></tr>
 *   <tr><td>{@code notifications}</td><td>show desktop notifications through the extension</td></tr>
 * </table>
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
        PEERS("peers"),
        /** {@code stream:<protocol>}: open and handle streams of one exact protocol. */
        STREAM("stream"),
        /** {@code dht:<key-prefix>}: get and put DHT values under a key prefix. */
        DHT("dht"),
        /** {@code storage} (bare): the caller's own key-value storage. */
        STORAGE("storage", true),
        /** {@code notifications} (bare): desktop notifications. */
        NOTIFICATIONS("notifications", true);

        private final String text;
        private final boolean bare;

        Kind(String text) {
            this(text, false);
        }

        Kind(String text, boolean bare) {
            this.text = text;
            this.bare = bare;
        }

        public String text() {
            return text;
        }

        /** True for kinds written without caveat ({@code storage}); their argument is the empty string. */
        public boolean bare() {
            return bare;
        }
    }

    public Capability {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(argument, "argument");
        if (kind.bare && !argument.isEmpty()) {
            throw new IllegalArgumentException("capability " + kind.text + " takes no argument");
        }
        if (!kind.bare && argument.isEmpty()) {
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

    /** {@code stream:<protocol>}. */
    public static Capability stream(String protocol) {
        return new Capability(Kind.STREAM, protocol);
    }

    /** {@code dht:<key-prefix>}. */
    public static Capability dht(String keyPrefix) {
        return new Capability(Kind.DHT, keyPrefix);
    }

    /** {@code storage}. */
    public static Capability storage() {
        return new Capability(Kind.STORAGE, "");
    }

    /** {@code notifications}. */
    public static Capability notifications() {
        return new Capability(Kind.NOTIFICATIONS, "");
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
            for (Kind kind : Kind.values()) {
                if (kind.bare && kind.text.equals(text)) {
                    return new Capability(kind, "");
                }
            }
            throw new IllegalArgumentException("capability \"" + text + "\": expected kind:argument");
        }
        String kindText = text.substring(0, colon);
        for (Kind kind : Kind.values()) {
            if (!kind.bare && kind.text.equals(kindText)) {
                return new Capability(kind, text.substring(colon + 1));
            }
        }
        throw new IllegalArgumentException("unknown capability kind \"" + kindText + "\"");
    }

    /** The canonical text form, {@code kind:argument}, or {@code kind} alone for a bare kind. */
    @Override
    public String toString() {
        return kind.bare ? kind.text : kind.text + ":" + argument;
    }
}
