package io.omnipeer.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.protocol.control.JsonRpcCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Registers the native-messaging host {@value #HOST_NAME} with the Chromium-family browsers of the current user:
 * one manifest per browser at {@code $XDG_CONFIG_HOME/<browser>/NativeMessagingHosts/io.omnipeer.native.json},
 * whose {@code path} is the absolute {@code omnipeer} launcher (Chromium runs it with the caller origin, which
 * the CLI turns into {@code omnipeer native-messaging}). Rewriting on update is running this again.
 * Spec: Chrome "Native messaging", section "Native messaging host location" (Linux, user-level).
 */
public final class NativeHostRegistration {
    public static final String HOST_NAME = "io.omnipeer.native";
    /** ID of the Omnipeer extension, fixed by the {@code key} in extension/manifest.json (see {@link #extensionIdFromKey}). */
    public static final String EXTENSION_ID = "jopiccfpgfjnbicfhligcgiihkbephfk";
    /** Per-user config directories (under $XDG_CONFIG_HOME) of Chromium-family browsers on Linux. */
    public static final List<String> BROWSER_DIRS = List.of("chromium", "google-chrome", "google-chrome-beta",
            "google-chrome-unstable", "BraveSoftware/Brave-Browser", "microsoft-edge", "vivaldi");
    /** The extension's Firefox (gecko) id, from browser_specific_settings in extension/manifest.json. */
    public static final String GECKO_ID = "omnipeer@omnipeer.io";
    /** Firefox's per-user host directory on Linux, under the home directory (MDN "Native manifests"). */
    public static final String FIREFOX_DIR = ".mozilla/native-messaging-hosts";
    /** Written even when no browser has created its config directory yet: the browser Debian's tests use. */
    private static final String ALWAYS = "chromium";

    private NativeHostRegistration() {
    }

    /**
     * Chromium's extension ID for an unpacked extension with this manifest {@code key}: the first 128 bits of the
     * SHA-256 of the DER public key, each hex digit 0-f written as a letter a-p.
     */
    public static String extensionIdFromKey(String base64DerPublicKey) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64DerPublicKey));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder id = new StringBuilder(32);
        for (int i = 0; i < 16; i++) {
            id.append((char) ('a' + ((digest[i] >> 4) & 0xf))).append((char) ('a' + (digest[i] & 0xf)));
        }
        return id.toString();
    }

    /** The host manifest JSON for Chromium-family browsers ({@code allowed_origins}). */
    public static byte[] manifest(Path launcher, List<String> extensionIds) {
        ObjectNode manifest = baseManifest(launcher);
        extensionIds.forEach(id -> manifest.withArray("allowed_origins").add("chrome-extension://" + id + "/"));
        return json(manifest);
    }

    /** The host manifest JSON for Firefox ({@code allowed_extensions} with the gecko id). */
    public static byte[] firefoxManifest(Path launcher) {
        ObjectNode manifest = baseManifest(launcher);
        manifest.withArray("allowed_extensions").add(GECKO_ID);
        return json(manifest);
    }

    private static ObjectNode baseManifest(Path launcher) {
        return JsonRpcCodec.mapper().createObjectNode()
                .put("name", HOST_NAME)
                .put("description", "Omnipeer: relay between the browser extension and the local daemon")
                .put("path", launcher.toAbsolutePath().normalize().toString())
                .put("type", "stdio");
    }

    private static byte[] json(ObjectNode manifest) {
        try {
            return JsonRpcCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes Firefox's host manifest at {@code <home>/.mozilla/native-messaging-hosts/io.omnipeer.native.json}.
     *
     * @return the file written
     */
    public static Path installFirefox(Path home, Path launcher) throws IOException {
        Path file = Files.createDirectories(home.resolve(FIREFOX_DIR)).resolve(HOST_NAME + ".json");
        writeAtomically(file, firefoxManifest(launcher));
        return file;
    }

    /** Removes Firefox's host manifest; @return whether there was one */
    public static boolean uninstallFirefox(Path home) throws IOException {
        return Files.deleteIfExists(home.resolve(FIREFOX_DIR).resolve(HOST_NAME + ".json"));
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), HOST_NAME, ".tmp");
        try {
            Files.write(temp, content);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Writes the manifest for every browser whose config directory exists under {@code configHome}, and for Chromium.
     *
     * @return the files written
     * @throws IllegalArgumentException if {@code launcher} is not an executable file or an extension ID is malformed
     */
    public static List<Path> install(Path configHome, Path launcher, List<String> extensionIds) throws IOException {
        if (!Files.isRegularFile(launcher) || !Files.isExecutable(launcher)) {
            throw new IllegalArgumentException("launcher " + launcher + " is not an executable file");
        }
        for (String id : extensionIds) {
            if (!id.matches("[a-p]{32}")) {
                throw new IllegalArgumentException("extension ID " + id + " is not 32 letters a-p");
            }
        }
        byte[] manifest = manifest(launcher, extensionIds);
        List<Path> written = new ArrayList<>();
        for (String browser : BROWSER_DIRS) {
            Path browserDir = configHome.resolve(browser);
            if (!browser.equals(ALWAYS) && !Files.isDirectory(browserDir)) {
                continue;
            }
            Path file = Files.createDirectories(browserDir.resolve("NativeMessagingHosts")).resolve(HOST_NAME + ".json");
            writeAtomically(file, manifest);
            written.add(file);
        }
        return written;
    }

    /** Removes every manifest {@link #install} may have written. @return the files removed */
    public static List<Path> uninstall(Path configHome) throws IOException {
        List<Path> removed = new ArrayList<>();
        for (String browser : BROWSER_DIRS) {
            Path file = configHome.resolve(browser).resolve("NativeMessagingHosts").resolve(HOST_NAME + ".json");
            if (Files.deleteIfExists(file)) {
                removed.add(file);
            }
        }
        return removed;
    }

    /** {@code $XDG_CONFIG_HOME}, default {@code $HOME/.config}. */
    public static Path defaultConfigHome() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg) : defaultHome().resolve(".config");
    }

    /** {@code $HOME} as the shell sees it (the JVM's user.home ignores it), else user.home. */
    public static Path defaultHome() {
        String home = System.getenv("HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
    }
}
