package io.omnipeer.control;

import io.omnipeer.apps.AppManifest;
import io.omnipeer.core.Multibase;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The namespace a caller's names live in (API.md, "apps platform", "Namespacing"): an installed app
 * ({@code app:<id>}) uses its id; a web origin uses {@code web-} + the lowercase base32 of the first 10 bytes of
 * SHA-256 of the origin (16 characters). DHT keys, protocols and storage of a caller map under
 * {@code /omnipeer/app/<namespace>/...}, so nothing a caller sends leaves its namespace. An {@code app:} principal whose
 * id is not a valid reverse-DNS app id ({@link AppManifest#ID}: no '/', no "..") is hashed like a web origin. Stateless.
 */
public final class Namespaces {
    static final String APP_PREFIX = "app:";
    private static final int HASH_BYTES = 10;

    private Namespaces() {
    }

    /** The namespace of {@code origin} (a web origin or {@code app:<id>}). */
    public static String of(String origin) {
        if (origin.startsWith(APP_PREFIX) && AppManifest.ID.matcher(origin.substring(APP_PREFIX.length())).matches()) {
            return origin.substring(APP_PREFIX.length());
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8));
            return "web-" + Multibase.encode(Multibase.BASE32_LOWER, Arrays.copyOf(hash, HASH_BYTES)).substring(1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
