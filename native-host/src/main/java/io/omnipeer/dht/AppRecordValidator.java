package io.omnipeer.dht;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Varint;
import io.omnipeer.core.crypto.KeyType;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.core.crypto.PublicKey;
import io.omnipeer.dht.pb.DhtProtos.AppRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Omnipeer application records under {@code /omnipeer/app/<ns>/<name>}: the value is an {@link AppRecord} signed
 * by the writer's Ed25519 key over the key, the sequence number and the value; the best record has the highest
 * {@code seq} (ties: the greater value bytes, so every node picks the same). The writer's key travels in the record,
 * so readers learn who wrote it. Not part of the kad-dht spec; validated as kad-dht/README.md "Entry validation"
 * asks. Thread-safe.
 */
public final class AppRecordValidator implements RecordValidator {
    /** Registry namespace: keys start with {@code /omnipeer/}. */
    public static final String NAMESPACE = "omnipeer";
    public static final String KEY_PREFIX = "/omnipeer/app/";
    private static final byte[] PREFIX = KEY_PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGNATURE_PREFIX = "omnipeer-app-record:".getBytes(StandardCharsets.US_ASCII);

    /** A decoded, verified record: what a reader gets. */
    public record SignedValue(byte[] value, long seq, PublicKey writer) {
    }

    /** The DHT key for {@code name} in namespace {@code ns} ({@code /omnipeer/app/<ns>/<name>}). */
    public static byte[] keyFor(String ns, String name) {
        if (ns.isEmpty() || ns.contains("/") || name.isEmpty()) {
            throw new IllegalArgumentException("namespace must be one non-empty segment and name non-empty");
        }
        return (KEY_PREFIX + ns + "/" + name).getBytes(StandardCharsets.UTF_8);
    }

    /** Signs {@code value} for {@code key} with sequence number {@code seq}; returns the record bytes to put. */
    public static byte[] sign(PrivateKey writer, byte[] key, byte[] value, long seq) {
        return AppRecord.newBuilder()
                .setValue(ByteString.copyFrom(value))
                .setSeq(seq)
                .setPublicKey(ByteString.copyFrom(writer.publicKey().marshal()))
                .setSignature(ByteString.copyFrom(writer.sign(signedBytes(key, value, seq))))
                .build().toByteArray();
    }

    /** Decodes and verifies a record. */
    public static SignedValue open(byte[] key, byte[] record) throws InvalidRecordException {
        checkKey(key);
        AppRecord r;
        PublicKey writer;
        try {
            r = AppRecord.parseFrom(record);
            writer = PublicKey.unmarshal(r.getPublicKey().toByteArray());
        } catch (InvalidProtocolBufferException | DecodingException | IllegalArgumentException e) {
            throw new InvalidRecordException("app record does not decode: " + e.getMessage());
        }
        if (writer.type() != KeyType.ED25519) {
            throw new InvalidRecordException("app records are signed with Ed25519 keys");
        }
        byte[] value = r.getValue().toByteArray();
        if (!writer.verify(signedBytes(key, value, r.getSeq()), r.getSignature().toByteArray())) {
            throw new InvalidRecordException("app record signature does not verify");
        }
        return new SignedValue(value, r.getSeq(), writer);
    }

    @Override
    public void validate(byte[] key, byte[] value) throws InvalidRecordException {
        open(key, value);
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
        int best = -1;
        SignedValue bestValue = null;
        for (int i = 0; i < values.size(); i++) {
            SignedValue v;
            try {
                v = open(key, values.get(i));
            } catch (InvalidRecordException e) {
                continue;
            }
            if (bestValue == null || Long.compareUnsigned(v.seq(), bestValue.seq()) > 0
                    || (v.seq() == bestValue.seq() && Arrays.compareUnsigned(values.get(i), values.get(best)) > 0)) {
                best = i;
                bestValue = v;
            }
        }
        return Math.max(best, 0);
    }

    private static void checkKey(byte[] key) throws InvalidRecordException {
        if (key.length <= PREFIX.length || !Arrays.equals(key, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
            throw new InvalidRecordException("app record key must start with " + KEY_PREFIX);
        }
        int slash = -1;
        for (int i = PREFIX.length; i < key.length; i++) {
            if (key[i] == '/') {
                slash = i;
                break;
            }
        }
        if (slash <= PREFIX.length || slash == key.length - 1) {
            throw new InvalidRecordException("app record key must be " + KEY_PREFIX + "<ns>/<name>");
        }
    }

    private static byte[] signedBytes(byte[] key, byte[] value, long seq) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE_PREFIX);
        out.writeBytes(Varint.encode(key.length));
        out.writeBytes(key);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (seq >>> shift));
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
