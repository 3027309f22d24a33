package io.omnipeer.e2e.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.omnipeer.core.crypto.Ed25519PrivateKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A signed app manifest file as a publisher ships it (API.md "apps platform"):
 * {@code {manifest:{id, name, version, description, icon, publisherKey, entry:{origin}|{page}, capabilities, resources},
 * signature}},
 * the signature being Ed25519 over the canonical JSON of {@code manifest} (keys sorted, no whitespace), made here with
 * the JDK's Ed25519 through {@link Ed25519PrivateKey}. Immutable.
 */
record SignedManifest(String id, String name, String version, Map<String, String> entry, List<String> capabilities,
                      Ed25519PrivateKey publisher) {

    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** A new publisher key signing version 1.0.0 of app {@code id} served from {@code origin}. */
    static SignedManifest create(String id, String name, String origin, List<String> capabilities) {
        return new SignedManifest(id, name, "1.0.0", Map.of("origin", origin), capabilities, Ed25519PrivateKey.generate());
    }

    /** A new publisher key signing version 1.0.0 of app {@code id} whose entry is the extension page {@code page}. */
    static SignedManifest bundled(String id, String name, String page, List<String> capabilities) {
        return new SignedManifest(id, name, "1.0.0", Map.of("page", page), capabilities, Ed25519PrivateKey.generate());
    }

    /** The unsigned {@code manifest} object, in canonical key order. */
    Map<String, Object> manifest() {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("id", id);
        manifest.put("name", name);
        manifest.put("version", version);
        manifest.put("description", name + ", an app used by the browser tests");
        manifest.put("icon", "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4=");
        manifest.put("publisherKey", Base64.getEncoder().encodeToString(publisher.publicKey().marshal()));
        manifest.put("entry", entry);
        manifest.put("capabilities", capabilities);
        manifest.put("resources", Map.of("bandwidthInKiBps", 0, "bandwidthOutKiBps", 0, "storageBytes", 1_048_576, "connections", 0));
        return manifest;
    }

    /** The canonical JSON bytes the signature covers. */
    byte[] canonicalBytes() throws IOException {
        return CANONICAL.writeValueAsBytes(manifest());
    }

    /** Writes {@code {manifest, signature}} to {@code file} and returns it. */
    Path writeTo(Path file) throws IOException {
        Map<String, Object> signed = new LinkedHashMap<>();
        signed.put("manifest", manifest());
        signed.put("signature", Base64.getEncoder().encodeToString(publisher.sign(canonicalBytes())));
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), signed);
        return file;
    }
}
