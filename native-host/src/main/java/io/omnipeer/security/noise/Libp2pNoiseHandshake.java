package io.omnipeer.security.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.core.crypto.PublicKey;
import io.omnipeer.security.noise.pb.NoiseProtos.NoiseHandshakePayload;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The libp2p Noise handshake for one party: XX with an empty prologue, the responder's signed identity payload
 * in message 2 and the initiator's in message 3. Each payload is a {@code NoiseHandshakePayload} whose
 * {@code identity_sig} signs {@code "noise-libp2p-static-key:" || static DH public key}; extensions sent by the
 * remote are tolerated and ignored. Spec: libp2p/specs noise/README.md, "Static Key Authentication" and
 * "The libp2p Handshake Payload".
 *
 * <p>Pure (no I/O): feed it the remote's messages, send what it returns. Not thread-safe.
 */
public final class Libp2pNoiseHandshake {
    public static final String PROTOCOL_ID = "/noise";
    static final byte[] SIGNATURE_PREFIX = "noise-libp2p-static-key:".getBytes(StandardCharsets.UTF_8);

    private final PrivateKey identity;
    private final Optional<PeerId> expectedRemote;
    private final NoiseHandshake noise;
    private SecureChannelEstablished result;

    /**
     * @param identity       the local libp2p identity key, used only to sign the static DH key
     * @param initiator      whether this party dialled (sends message 1)
     * @param expectedRemote the peer ID the remote must prove (initiators dialling a known peer); empty accepts any
     */
    public Libp2pNoiseHandshake(PrivateKey identity, boolean initiator, Optional<PeerId> expectedRemote) {
        this(identity, initiator, expectedRemote, X25519KeyPair.generate());
    }

    Libp2pNoiseHandshake(PrivateKey identity, boolean initiator, Optional<PeerId> expectedRemote, X25519KeyPair staticKey) {
        this.identity = identity;
        this.expectedRemote = expectedRemote;
        this.noise = new NoiseHandshake(initiator, staticKey, Optional.empty(), new byte[0]);
    }

    /** The first message to send: message 1 for the initiator, nothing for the responder. */
    public Optional<byte[]> start() {
        return noise.isInitiator() ? Optional.of(noise.writeMessage(new byte[0])) : Optional.empty();
    }

    /**
     * Processes one remote handshake message (without its 2-byte length prefix).
     * @return the message to send in reply, if any
     * @throws NoiseException if the message fails authentication, the payload is malformed or its signature is
     *                        invalid, or the remote is not the expected peer
     */
    public Optional<byte[]> onMessage(byte[] message) {
        byte[] payload = noise.readMessage(message);
        if (!noise.isInitiator() && !noise.isComplete()) {
            // message 1 carries no libp2p payload (nothing in it is authenticated yet); answer with message 2
            return Optional.of(noise.writeMessage(localPayload()));
        }
        result = verify(payload);
        if (noise.isInitiator()) {
            byte[] reply = noise.writeMessage(localPayload());
            return Optional.of(reply);
        }
        return Optional.empty();
    }

    public boolean isComplete() {
        return noise.isComplete() && result != null;
    }

    /** The authenticated remote, once complete. @throws IllegalStateException before that */
    public SecureChannelEstablished result() {
        if (!isComplete()) {
            throw new IllegalStateException("handshake not complete");
        }
        return result;
    }

    /** Transport cipher states {@code [send, receive]}. @throws IllegalStateException before completion */
    public CipherState[] split() {
        if (!isComplete()) {
            throw new IllegalStateException("handshake not complete");
        }
        return noise.split();
    }

    private byte[] localPayload() {
        byte[] toSign = concat(SIGNATURE_PREFIX, noise.localStaticKey());
        return NoiseHandshakePayload.newBuilder()
                .setIdentityKey(ByteString.copyFrom(identity.publicKey().marshal()))
                .setIdentitySig(ByteString.copyFrom(identity.sign(toSign)))
                .build()
                .toByteArray();
    }

    private SecureChannelEstablished verify(byte[] payloadBytes) {
        NoiseHandshakePayload payload;
        try {
            payload = NoiseHandshakePayload.parseFrom(payloadBytes);
        } catch (InvalidProtocolBufferException e) {
            throw new NoiseException("malformed NoiseHandshakePayload: " + e.getMessage(), e);
        }
        if (!payload.hasIdentityKey() || !payload.hasIdentitySig()) {
            throw new NoiseException("NoiseHandshakePayload lacks identity_key or identity_sig");
        }
        PublicKey remoteKey;
        try {
            remoteKey = PublicKey.unmarshal(payload.getIdentityKey().toByteArray());
        } catch (DecodingException e) {
            throw new NoiseException("remote identity key rejected: " + e.getMessage(), e);
        }
        byte[] remoteStatic = noise.remoteStaticKey().orElseThrow();
        if (!remoteKey.verify(concat(SIGNATURE_PREFIX, remoteStatic), payload.getIdentitySig().toByteArray())) {
            throw new NoiseException("remote identity_sig does not sign its static Noise key");
        }
        PeerId remotePeer = PeerId.fromPublicKey(remoteKey);
        if (expectedRemote.isPresent() && !expectedRemote.get().equals(remotePeer)) {
            throw new NoiseException("remote is " + remotePeer + ", expected " + expectedRemote.get());
        }
        return new SecureChannelEstablished(remotePeer, remoteKey);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
