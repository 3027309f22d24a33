package io.omnipeer.pubsub;

import io.omnipeer.core.DecodingException;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.core.crypto.PublicKey;
import io.omnipeer.pubsub.pb.PubsubProtos.Message;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The StrictSign signature policy: every message carries {@code from}, {@code seqno} and a signature by
 * the author's key over {@code "libp2p-pubsub:" || Message-without-signature-and-key}.
 * Spec: libp2p/specs pubsub/README.md, "Message Signing".
 */
public final class MessageSigning {
    private static final byte[] PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);
    /** The seqno is a 64-bit big-endian counter (pubsub/README.md, "The Message"). */
    public static final int SEQNO_BYTES = 8;

    private MessageSigning() {
    }

    /**
     * Signs an unsigned message in place. The key field is left out: Ed25519 keys are inlined in the
     * peer ID, so the receiver extracts the key from {@code from}.
     */
    public static Message sign(PrivateKey key, Message unsigned) {
        byte[] signature = key.sign(signedBytes(unsigned));
        return unsigned.toBuilder().setSignature(com.google.protobuf.ByteString.copyFrom(signature)).build();
    }

    /**
     * Checks a received message under StrictSign.
     *
     * @return the verified author
     * @throws DecodingException naming what is missing or wrong (no from, seqno of the wrong size,
     *                           no signature, a key that does not match from, a bad signature)
     */
    public static PeerId verify(Message message) {
        if (!message.hasFrom() || !message.hasSeqno() || !message.hasSignature()) {
            throw new DecodingException("StrictSign requires from, seqno and signature");
        }
        if (message.getSeqno().size() != SEQNO_BYTES) {
            throw new DecodingException("seqno must be " + SEQNO_BYTES + " bytes, got " + message.getSeqno().size());
        }
        PeerId author = PeerId.fromBytes(message.getFrom().toByteArray());
        PublicKey key = authorKey(message, author)
                .orElseThrow(() -> new DecodingException("no public key for author " + author));
        if (!key.verify(signedBytes(message), message.getSignature().toByteArray())) {
            throw new DecodingException("invalid signature from " + author);
        }
        return author;
    }

    /** Message ID per pubsub/README.md, "Message Identification": {@code from || seqno}. */
    public static byte[] messageId(Message message) {
        return message.getFrom().concat(message.getSeqno()).toByteArray();
    }

    private static Optional<PublicKey> authorKey(Message message, PeerId author) {
        if (message.hasKey()) {
            PublicKey key = PublicKey.unmarshal(message.getKey().toByteArray());
            if (!author.matches(key)) {
                throw new DecodingException("key field does not match from " + author);
            }
            return Optional.of(key);
        }
        return author.extractPublicKey();
    }

    private static byte[] signedBytes(Message message) {
        byte[] body = message.toBuilder().clearSignature().clearKey().build().toByteArray();
        byte[] out = new byte[PREFIX.length + body.length];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        System.arraycopy(body, 0, out, PREFIX.length, body.length);
        return out;
    }
}
