package io.omnipeer.security.noise;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Noise XX handshake for one party, with 25519 / ChaChaPoly / SHA256:
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 * Payloads are opaque bytes here; the libp2p payload lives in {@link Libp2pNoiseHandshake}. Messages are
 * whole Noise messages without the libp2p length prefix. Spec: Noise Protocol Framework sections 5.3
 * ("The HandshakeState object") and 7.5 (pattern XX); libp2p/specs noise/README.md, "XX".
 *
 * <p>Not thread-safe. After {@link #isComplete()}, {@link #split()} yields the transport cipher states.
 */
public final class NoiseHandshake {
    public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    /** Noise section 3: a Noise message is at most 65,535 bytes. */
    public static final int MAX_MESSAGE_LENGTH = 65535;
    private static final int DH_LENGTH = X25519KeyPair.KEY_LENGTH;
    private static final int TAG = CipherState.TAG_LENGTH;

    private final boolean initiator;
    private final X25519KeyPair s;
    private final SymmetricState ss;
    private X25519KeyPair e;
    private byte[] re;
    private byte[] rs;
    /** Index of the next message of the pattern (0, 1, 2); 3 once complete. */
    private int step;

    /**
     * @param initiator      whether this party sends the first message
     * @param staticKey      the local static DH key (libp2p: fresh or per-process, never the identity key)
     * @param ephemeral      the local ephemeral key; empty draws a fresh one (a fixed one is for test vectors only)
     * @param prologue       data both parties must agree on (libp2p: empty)
     */
    public NoiseHandshake(boolean initiator, X25519KeyPair staticKey, Optional<X25519KeyPair> ephemeral, byte[] prologue) {
        this.initiator = initiator;
        this.s = staticKey;
        this.e = ephemeral.orElse(null);
        this.ss = new SymmetricState(PROTOCOL_NAME);
        ss.mixHash(prologue);
    }

    public boolean isInitiator() {
        return initiator;
    }

    /** Whether it is this party's turn to write (as opposed to read) the next message. */
    public boolean isMyTurn() {
        return step < 3 && (step % 2 == 0) == initiator;
    }

    public boolean isComplete() {
        return step == 3;
    }

    /** The remote static public key once received (initiator: after message 2; responder: after message 3). */
    public Optional<byte[]> remoteStaticKey() {
        return Optional.ofNullable(rs).map(byte[]::clone);
    }

    /** The local static public key. */
    public byte[] localStaticKey() {
        return s.publicKey();
    }

    public byte[] handshakeHash() {
        return ss.handshakeHash();
    }

    /**
     * WriteMessage: the next handshake message carrying {@code payload}.
     * @throws IllegalStateException if it is not this party's turn
     * @throws NoiseException if the message would exceed {@link #MAX_MESSAGE_LENGTH}
     */
    public byte[] writeMessage(byte[] payload) {
        if (!isMyTurn()) {
            throw new IllegalStateException("not this party's turn to write (step " + step + ")");
        }
        byte[] out = switch (step) {
            case 0 -> concat(writeE(), ss.encryptAndHash(payload));
            case 1 -> {
                byte[] ePub = writeE();
                ss.mixKey(e.dh(re));
                byte[] sEnc = ss.encryptAndHash(s.publicKey());
                ss.mixKey(s.dh(re));
                yield concat(concat(ePub, sEnc), ss.encryptAndHash(payload));
            }
            default -> {
                byte[] sEnc = ss.encryptAndHash(s.publicKey());
                ss.mixKey(s.dh(re));
                yield concat(sEnc, ss.encryptAndHash(payload));
            }
        };
        if (out.length > MAX_MESSAGE_LENGTH) {
            throw new NoiseException("handshake message longer than " + MAX_MESSAGE_LENGTH + " bytes");
        }
        step++;
        return out;
    }

    /**
     * ReadMessage: processes the remote's next handshake message and returns its payload.
     * @throws IllegalStateException if it is this party's turn to write
     * @throws NoiseException if the message is truncated, oversized or fails authentication
     */
    public byte[] readMessage(byte[] message) {
        if (isMyTurn() || isComplete()) {
            throw new IllegalStateException("not this party's turn to read (step " + step + ")");
        }
        if (message.length > MAX_MESSAGE_LENGTH) {
            throw new NoiseException("handshake message longer than " + MAX_MESSAGE_LENGTH + " bytes");
        }
        byte[] payload = switch (step) {
            case 0 -> {
                re = take(message, 0, DH_LENGTH, "ephemeral key");
                ss.mixHash(re);
                yield ss.decryptAndHash(Arrays.copyOfRange(message, DH_LENGTH, message.length));
            }
            case 1 -> {
                re = take(message, 0, DH_LENGTH, "ephemeral key");
                ss.mixHash(re);
                ss.mixKey(e.dh(re));
                rs = ss.decryptAndHash(take(message, DH_LENGTH, DH_LENGTH + TAG, "encrypted static key"));
                ss.mixKey(e.dh(rs));
                yield ss.decryptAndHash(Arrays.copyOfRange(message, 2 * DH_LENGTH + TAG, message.length));
            }
            default -> {
                rs = ss.decryptAndHash(take(message, 0, DH_LENGTH + TAG, "encrypted static key"));
                ss.mixKey(e.dh(rs));
                yield ss.decryptAndHash(Arrays.copyOfRange(message, DH_LENGTH + TAG, message.length));
            }
        };
        step++;
        return payload;
    }

    /**
     * Split(): the transport cipher states as {@code [send, receive]} for this party.
     * @throws IllegalStateException before the handshake is complete
     */
    public CipherState[] split() {
        if (!isComplete()) {
            throw new IllegalStateException("handshake not complete");
        }
        CipherState[] c = ss.split();
        return initiator ? new CipherState[] {c[0], c[1]} : new CipherState[] {c[1], c[0]};
    }

    private byte[] writeE() {
        if (e == null) {
            e = X25519KeyPair.generate();
        }
        byte[] pub = e.publicKey();
        ss.mixHash(pub);
        return pub;
    }

    private static byte[] take(byte[] message, int from, int length, String what) {
        if (message.length < from + length) {
            throw new NoiseException("handshake message too short for the " + what + ": " + message.length + " bytes");
        }
        return Arrays.copyOfRange(message, from, from + length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
