package io.omnipeer.e2e.browser;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Facts about the unpacked extension under test ({@code <repo>/extension}).
 *
 * <p>The ID is pinned by the public key in {@code extension/manifest.json} ({@code key}): the first
 * 128 bits of SHA-256 over the DER SubjectPublicKeyInfo, hex digits mapped 0-f to a-p. It must match
 * {@code extension/README.md} and the native host manifest's {@code allowed_origins}.
 */
public final class OmnipeerExtension {

    /** Extension ID derived from the manifest key. */
    public static final String ID = "jopiccfpgfjnbicfhligcgiihkbephfk";
    /** Native messaging host name (API.md). */
    public static final String NATIVE_HOST = "io.omnipeer.native";
    /** Origin the browser reports for the extension; the only entry of the host manifest's allowed_origins. */
    public static final String ORIGIN = "chrome-extension://" + ID + "/";

    private OmnipeerExtension() {
    }

    /** The repository root, from the {@code omnipeer.repoRoot} system property Maven sets (else the parent of the working directory). */
    public static Path repoRoot() {
        String configured = System.getProperty("omnipeer.repoRoot");
        Path root = configured != null ? Path.of(configured) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    /** The unpacked extension directory; throws if it has no manifest. */
    public static Path directory() {
        Path dir = repoRoot().resolve("extension");
        if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
            throw new IllegalStateException("no extension/manifest.json under " + repoRoot());
        }
        return dir;
    }

    /** URL of one of the extension's pages, e.g. {@code popup.html}. */
    public static String url(String page) {
        return ORIGIN + page;
    }
}
