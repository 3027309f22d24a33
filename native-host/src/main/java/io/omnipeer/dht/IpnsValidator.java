package io.omnipeer.dht;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.core.crypto.PublicKey;
import io.omnipeer.dht.pb.IpnsProtos.IpnsEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /ipns/<peer id>} records (V2): the CBOR {@code data} map signed by the name's key
 * ({@code signatureV2} over {@code "ipns-signature:" || data}), valid until its EOL; the best record has the highest
 * {@code Sequence}, then the latest EOL. V1 copies (fields 1, 3, 4, 5), when present, must equal the CBOR values.
 * Spec: ipfs/specs ipns-record.md, "Record Verification" and "Record Serialization Format". Thread-safe.
 */
public final class IpnsValidator implements RecordValidator {
    public static final String NAMESPACE = "ipns";
    /** Records above this size are invalid (ipns-record.md, "Record Size Limit"). */
    public static final int MAX_RECORD_BYTES = 10 * 1024;
    private static final byte[] PREFIX = "/ipns/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SIGNATURE_PREFIX = "ipns-signature:".getBytes(StandardCharsets.US_ASCII);

    /** A decoded, verified record. */
    record Ipns(byte[] value, long sequence, Instant eol, long ttlNanos) {
    }

    private final DhtTimer timer;

    public IpnsValidator(DhtTimer timer) {
        this.timer = timer;
    }

    /** The DHT key of {@code name}'s IPNS record. */
    public static byte[] keyFor(PeerId name) {
        byte[] id = name.bytes();
        byte[] key = Arrays.copyOf(PREFIX, PREFIX.length + id.length);
        System.arraycopy(id, 0, key, PREFIX.length, id.length);
        return key;
    }

    /**
     * Creates a V1+V2 record signed by {@code key} (whose peer ID is the name).
     * @param value    the path it points to, e.g. {@code /ipfs/<cid>}
     * @param eol      end of validity
     * @param ttlNanos cache hint for resolvers
     */
    public static byte[] create(PrivateKey key, byte[] value, long sequence, Instant eol, long ttlNanos) {
        byte[] validity = eol.toString().getBytes(StandardCharsets.US_ASCII);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("Value", value);
        data.put("Validity", validity);
        data.put("ValidityType", 0L);
        data.put("Sequence", sequence);
        data.put("TTL", ttlNanos);
        byte[] cbor = Cbor.encodeMap(data);
        IpnsEntry.Builder b = IpnsEntry.newBuilder()
                .setValue(ByteString.copyFrom(value))
                .setValidityType(IpnsEntry.ValidityType.EOL)
                .setValidity(ByteString.copyFrom(validity))
                .setSequence(sequence)
                .setTtl(ttlNanos)
                .setData(ByteString.copyFrom(cbor))
                .setSignatureV2(ByteString.copyFrom(key.sign(concat(SIGNATURE_PREFIX, cbor))));
        if (!PeerId.fromPublicKey(key.publicKey()).extractPublicKey().isPresent()) {
            b.setPubKey(ByteString.copyFrom(key.publicKey().marshal()));
        }
        return b.build().toByteArray();
    }

    @Override
    public void validate(byte[] key, byte[] value) throws InvalidRecordException {
        Ipns r = decode(key, value);
        if (!r.eol().isAfter(timer.now())) {
            throw new InvalidRecordException("IPNS record expired at " + r.eol());
        }
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
        int best = -1;
        Ipns bestRecord = null;
        for (int i = 0; i < values.size(); i++) {
            Ipns r;
            try {
                r = decode(key, values.get(i));
            } catch (InvalidRecordException e) {
                continue;
            }
            if (bestRecord == null || r.sequence() > bestRecord.sequence()
                    || (r.sequence() == bestRecord.sequence() && r.eol().isAfter(bestRecord.eol()))) {
                best = i;
                bestRecord = r;
            }
        }
        return Math.max(best, 0);
    }

    /** Decodes and verifies everything but expiry. */
    static Ipns decode(byte[] key, byte[] value) throws InvalidRecordException {
        if (value.length > MAX_RECORD_BYTES) {
            throw new InvalidRecordException("IPNS record of " + value.length + " bytes exceeds " + MAX_RECORD_BYTES);
        }
        if (key.length <= PREFIX.length || !Arrays.equals(key, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
            throw new InvalidRecordException("IPNS key must start with /ipns/");
        }
        PeerId name;
        IpnsEntry entry;
        try {
            name = PeerId.fromBytes(Arrays.copyOfRange(key, PREFIX.length, key.length));
            entry = IpnsEntry.parseFrom(value);
        } catch (DecodingException | IllegalArgumentException | InvalidProtocolBufferException e) {
            throw new InvalidRecordException("IPNS record does not decode: " + e.getMessage());
        }
        if (!entry.hasSignatureV2() || !entry.hasData()) {
            throw new InvalidRecordException("IPNS record lacks signatureV2 or data (V1-only records are not accepted)");
        }
        PublicKey publicKey;
        try {
            publicKey = entry.hasPubKey() ? PublicKey.unmarshal(entry.getPubKey().toByteArray())
                    : name.extractPublicKey().orElseThrow(() -> new InvalidRecordException("IPNS record has no public key"));
        } catch (DecodingException | IllegalArgumentException e) {
            throw new InvalidRecordException("IPNS public key does not decode: " + e.getMessage());
        }
        if (!name.matches(publicKey)) {
            throw new InvalidRecordException("IPNS public key does not match the name");
        }
        byte[] data = entry.getData().toByteArray();
        if (!publicKey.verify(concat(SIGNATURE_PREFIX, data), entry.getSignatureV2().toByteArray())) {
            throw new InvalidRecordException("IPNS signatureV2 does not verify");
        }
        Map<String, Object> fields = Cbor.decodeMap(data);
        byte[] target = field(fields, "Value", byte[].class);
        byte[] validity = field(fields, "Validity", byte[].class);
        long validityType = field(fields, "ValidityType", Long.class);
        long sequence = field(fields, "Sequence", Long.class);
        long ttl = fields.get("TTL") instanceof Long l ? l : 0;
        if (validityType != 0) {
            throw new InvalidRecordException("IPNS validity type " + validityType + " unknown");
        }
        Instant eol;
        try {
            eol = Instant.parse(new String(validity, StandardCharsets.US_ASCII));
        } catch (DateTimeParseException e) {
            throw new InvalidRecordException("IPNS validity is not an RFC 3339 time");
        }
        if ((entry.hasValue() && !Arrays.equals(entry.getValue().toByteArray(), target))
                || (entry.hasValidity() && !Arrays.equals(entry.getValidity().toByteArray(), validity))
                || (entry.hasSequence() && entry.getSequence() != sequence)) {
            throw new InvalidRecordException("IPNS V1 fields differ from the signed data");
        }
        return new Ipns(target, sequence, eol, ttl);
    }

    private static <T> T field(Map<String, Object> fields, String name, Class<T> type) throws InvalidRecordException {
        Object v = fields.get(name);
        if (!type.isInstance(v)) {
            throw new InvalidRecordException("IPNS data lacks " + name);
        }
        return type.cast(v);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
