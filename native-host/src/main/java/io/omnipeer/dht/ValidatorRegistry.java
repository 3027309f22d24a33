package io.omnipeer.dht;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validators by namespace. A key {@code /<ns>/<rest>} is handled by the validator registered for {@code <ns>};
 * keys without a namespace or with an unregistered one are rejected (as go-libp2p and js-libp2p do).
 * Spec: libp2p/specs kad-dht/README.md, "Entry validation". Thread-safe.
 */
public final class ValidatorRegistry {
    private final Map<String, RecordValidator> validators = new ConcurrentHashMap<>();

    /**
     * The registry every node uses: {@code pk} ({@link PublicKeyValidator}), {@code ipns} ({@link IpnsValidator}) and
     * {@code omnipeer} ({@link AppRecordValidator}, keys {@code /omnipeer/app/<ns>/<key>}).
     */
    public static ValidatorRegistry standard(DhtTimer timer) {
        ValidatorRegistry r = new ValidatorRegistry();
        r.register(PublicKeyValidator.NAMESPACE, new PublicKeyValidator());
        r.register(IpnsValidator.NAMESPACE, new IpnsValidator(timer));
        r.register(AppRecordValidator.NAMESPACE, new AppRecordValidator());
        return r;
    }

    /** Registers (or replaces) the validator of {@code namespace} (no slashes). */
    public void register(String namespace, RecordValidator validator) {
        if (namespace.isEmpty() || namespace.contains("/")) {
            throw new IllegalArgumentException("namespace must be one non-empty path segment: " + namespace);
        }
        validators.put(namespace, validator);
    }

    /** The namespace of {@code key}: the text between the first and second '/', if the key has that shape. */
    public static Optional<String> namespace(byte[] key) {
        if (key.length < 3 || key[0] != '/') {
            return Optional.empty();
        }
        for (int i = 1; i < key.length; i++) {
            if (key[i] == '/') {
                return i == 1 ? Optional.empty()
                        : Optional.of(new String(key, 1, i - 1, StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** Validates with the key's namespace validator. */
    public void validate(byte[] key, byte[] value) throws InvalidRecordException {
        validatorFor(key).validate(key, value);
    }

    /** Index of the best value (see {@link RecordValidator#select}). */
    public int select(byte[] key, List<byte[]> values) throws InvalidRecordException {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to select from");
        }
        return values.size() == 1 ? 0 : validatorFor(key).select(key, values);
    }

    private RecordValidator validatorFor(byte[] key) throws InvalidRecordException {
        String ns = namespace(key).orElseThrow(() -> new InvalidRecordException("record key has no namespace"));
        RecordValidator v = validators.get(ns);
        if (v == null) {
            throw new InvalidRecordException("no validator for namespace " + ns);
        }
        return v;
    }
}
