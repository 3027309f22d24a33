package io.omnipeer.security.noise;

import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.Cipher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where ChaCha20-Poly1305 (RFC 8439) comes from: Conscrypt (Google's maintained BoringSSL provider) when its native
 * library loads on this platform, else the JDK's SunJCE. Same bytes either way. Conscrypt measured ~1.4 GB/s here
 * against SunJCE's ~0.35 GB/s, whose Poly1305 is generic field arithmetic on CPUs without AVX-512 IFMA
 * (bench/README.md). Never our own primitives. Thread-safe.
 */
public final class AeadProvider {
    private static final Logger LOG = LoggerFactory.getLogger(AeadProvider.class);
    private static final Provider CONSCRYPT = loadConscrypt();

    private AeadProvider() {
    }

    private static Provider loadConscrypt() {
        try {
            Provider p = org.conscrypt.Conscrypt.newProvider();
            Cipher.getInstance("ChaCha20/Poly1305/NoPadding", p);
            return p;
        } catch (Throwable e) {
            // No native library for this OS/CPU, or it failed to load: the JDK's cipher does the same, slower.
            LOG.info("Conscrypt unavailable ({}); Noise uses the JDK's ChaCha20-Poly1305", e.toString());
            return null;
        }
    }

    /** A fresh ChaCha20-Poly1305 cipher (keys as {@code SecretKeySpec(k, "ChaCha20")}, 12-byte IvParameterSpec). */
    static Cipher newCipher() throws GeneralSecurityException {
        return CONSCRYPT != null ? Cipher.getInstance("ChaCha20/Poly1305/NoPadding", CONSCRYPT)
                : Cipher.getInstance("ChaCha20-Poly1305");
    }

    /** "Conscrypt" or "SunJCE": which provider {@link CipherState} uses. */
    public static String name() {
        return CONSCRYPT != null ? CONSCRYPT.getName() : "SunJCE";
    }
}
