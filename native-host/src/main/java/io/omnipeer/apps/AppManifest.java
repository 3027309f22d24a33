package io.omnipeer.apps;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.crypto.KeyType;
import io.omnipeer.core.crypto.PrivateKey;
import io.omnipeer.core.crypto.PublicKey;
import io.omnipeer.protocol.control.Capability;
import io.omnipeer.rcmgr.AppLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A verified app manifest (API.md "apps platform"; schema {@code schemas/app-manifest.schema.json}): the signed file is
 * {@code {manifest:{id, name, version, description, icon, publisherKey, entry:{origin}|{page}, capabilities, resources:
 * {bandwidthInKiBps, bandwidthOutKiBps, storageBytes, connections}}, signature}}; the signature is Ed25519 over the
 * canonical JSON of {@code manifest} (keys sorted at every level, no whitespace, UTF-8). {@code publisherKey} is the
 * base64 of the libp2p-marshalled Ed25519 public key. Immutable; {@link #parse} rejects anything else with an
 * {@link IllegalArgumentException} naming the field (→ control error -32602).
 *
 * @param entryOrigin the web origin running the app ({@code https://host[:port]} or loopback http), or null
 * @param entryPage   the extension page ({@code apps/<id>/...}), or null; exactly one of both is set
 * @param signed      the whole signed object as received (stored verbatim)
 */
public record AppManifest(String id, String name, String version, String description, String icon,
                          String publisherKey, String entryOrigin, String entryPage, List<String> capabilities,
                          AppLimits resources, ObjectNode signed) {
    /** Longest app id, in characters. */
    public static final int MAX_ID_LENGTH = 128;
    /** Longest name, in characters. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Longest description, in characters. */
    public static final int MAX_DESCRIPTION_LENGTH = 1024;
    /** Longest icon (data: URL or path), in characters. */
    public static final int MAX_ICON_LENGTH = 65_536;
    /** Most capabilities one manifest asks for. */
    public static final int MAX_CAPABILITIES = 64;
    /** Reverse-DNS: at least two dot-separated labels of lowercase letters, digits, '-' and '_'. */
    public static final Pattern ID = Pattern.compile("[a-z0-9](?:[a-z0-9_-]{0,62})(?:\\.[a-z0-9](?:[a-z0-9_-]{0,62}))+");
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})\\.(0|[1-9]\\d{0,8})(?:-([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?");
    private static final Set<String> TOP_FIELDS = Set.of("manifest", "signature");
    private static final Set<String> FIELDS = Set.of("id", "name", "version", "description", "icon", "publisherKey",
            "entry", "capabilities", "resources");
    private static final Set<String> RESOURCE_FIELDS = Set.of("bandwidthInKiBps", "bandwidthOutKiBps", "storageBytes", "connections");
    private static final ObjectMapper CANONICAL = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /**
     * Parses and verifies a signed manifest object.
     *
     * @throws IllegalArgumentException with the reason: malformed field, unknown capability, bad signature, ...
     */
    public static AppManifest parse(JsonNode signedNode) {
        if (signedNode == null || !signedNode.isObject()) {
            throw new IllegalArgumentException("manifest file must be a JSON object {manifest, signature}");
        }
        ObjectNode signed = (ObjectNode) signedNode;
        onlyFields(signed, TOP_FIELDS, "manifest file");
        JsonNode m = signed.get("manifest");
        if (m == null || !m.isObject()) {
            throw new IllegalArgumentException("manifest: must be an object");
        }
        onlyFields(m, FIELDS, "manifest");
        String id = string(m, "id", MAX_ID_LENGTH, false);
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("manifest.id \"" + id + "\" is not a reverse-DNS id (e.g. org.example.chat)");
        }
        String name = string(m, "name", MAX_NAME_LENGTH, false);
        String version = string(m, "version", 64, false);
        if (!SEMVER.matcher(version).matches()) {
            throw new IllegalArgumentException("manifest.version \"" + version + "\" is not a semantic version (1.2.3)");
        }
        String description = m.has("description") ? string(m, "description", MAX_DESCRIPTION_LENGTH, true) : "";
        String icon = m.has("icon") ? icon(string(m, "icon", MAX_ICON_LENGTH, true)) : "";
        String publisherKey = string(m, "publisherKey", 1024, false);
        PublicKey key = publisherKey(publisherKey);
        JsonNode entry = m.get("entry");
        if (entry == null || !entry.isObject() || entry.size() != 1 || !(entry.has("origin") || entry.has("page"))) {
            throw new IllegalArgumentException("manifest.entry must be {origin} or {page}");
        }
        String origin = entry.has("origin") ? origin(string(entry, "origin", 2048, false)) : null;
        String page = entry.has("page") ? page(string(entry, "page", 2048, false), id) : null;
        List<String> capabilities = capabilities(m.get("capabilities"));
        AppLimits resources = resources(m.get("resources"));
        JsonNode signature = signed.get("signature");
        if (signature == null || !signature.isTextual()) {
            throw new IllegalArgumentException("signature: must be a base64 string");
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature.textValue());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signature: not valid base64");
        }
        if (!key.verify(canonicalBytes(m), sig)) {
            throw new IllegalArgumentException("signature does not verify with manifest.publisherKey");
        }
        return new AppManifest(id, name, version, description, icon, publisherKey, origin, page, capabilities, resources,
                signed.deepCopy());
    }

    /** The canonical JSON bytes of a {@code manifest} object that the signature covers. */
    public static byte[] canonicalBytes(JsonNode manifest) {
        try {
            return CANONICAL.writeValueAsBytes(CANONICAL.convertValue(manifest, Map.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Signs {@code manifest} (an object) with {@code key}: the {@code {manifest, signature}} object a publisher ships. */
    public static ObjectNode sign(JsonNode manifest, PrivateKey key) {
        if (manifest == null || !manifest.isObject()) {
            throw new IllegalArgumentException("manifest must be a JSON object");
        }
        ObjectNode signed = CANONICAL.createObjectNode();
        signed.set("manifest", manifest.deepCopy());
        signed.put("signature", Base64.getEncoder().encodeToString(key.sign(canonicalBytes(manifest))));
        return signed;
    }

    /** First 16 hex digits of SHA-256 of the marshalled publisher key, in groups of 4 ({@code ab12 cd34 ...}). */
    public String fingerprint() {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(publisherKey));
            String hex = HexFormat.of().formatHex(hash, 0, 8);
            return hex.substring(0, 4) + " " + hex.substring(4, 8) + " " + hex.substring(8, 12) + " " + hex.substring(12, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The {@code manifest.entry} object. */
    public JsonNode entry() {
        return signed.get("manifest").get("entry");
    }

    /** Compares semantic versions (SemVer 2.0.0 §11; build metadata ignored): negative, zero or positive. */
    public static int compareVersions(String a, String b) {
        var ma = SEMVER.matcher(a);
        var mb = SEMVER.matcher(b);
        if (!ma.matches() || !mb.matches()) {
            throw new IllegalArgumentException("not a semantic version: " + (ma.matches() ? b : a));
        }
        for (int i = 1; i <= 3; i++) {
            int c = Long.compare(Long.parseLong(ma.group(i)), Long.parseLong(mb.group(i)));
            if (c != 0) {
                return c;
            }
        }
        String pa = ma.group(4);
        String pb = mb.group(4);
        if (pa == null || pb == null) {
            return pa == null ? (pb == null ? 0 : 1) : -1;
        }
        String[] xa = pa.split("\\.");
        String[] xb = pb.split("\\.");
        for (int i = 0; i < Math.min(xa.length, xb.length); i++) {
            boolean na = xa[i].matches("\\d+");
            boolean nb = xb[i].matches("\\d+");
            int c = na && nb ? new java.math.BigInteger(xa[i]).compareTo(new java.math.BigInteger(xb[i]))
                    : na ? -1 : nb ? 1 : xa[i].compareTo(xb[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(xa.length, xb.length);
    }

    private static void onlyFields(JsonNode node, Set<String> allowed, String what) {
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException(what + ": unknown field \"" + f + "\"");
            }
        });
    }

    private static String string(JsonNode node, String field, int max, boolean mayBeEmpty) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || (!mayBeEmpty && v.textValue().isEmpty()) || v.textValue().length() > max) {
            throw new IllegalArgumentException("manifest." + field + " must be a " + (mayBeEmpty ? "" : "non-empty ")
                    + "string of at most " + max + " characters");
        }
        return v.textValue();
    }

    private static String icon(String icon) {
        if (icon.isEmpty() || icon.startsWith("data:image/")) {
            return icon;
        }
        if (icon.startsWith("/") || icon.contains("..") || icon.contains(":") || icon.contains("\\")) {
            throw new IllegalArgumentException("manifest.icon must be a data:image/ URL or a relative path");
        }
        return icon;
    }

    private static PublicKey publisherKey(String text) {
        try {
            PublicKey key = PublicKey.unmarshal(Base64.getDecoder().decode(text));
            if (key.type() != KeyType.ED25519) {
                throw new IllegalArgumentException("manifest.publisherKey must be an Ed25519 key");
            }
            return key;
        } catch (DecodingException e) {
            throw new IllegalArgumentException("manifest.publisherKey: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith("manifest.") ? e
                    : new IllegalArgumentException("manifest.publisherKey is not a base64 libp2p public key");
        }
    }

    /**
     * Checks an entry origin: {@code https://host[:port]}, or {@code http://127.0.0.1:<port>} / {@code http://localhost:<port>}
     * (loopback is a secure context); nothing after the authority.
     */
    static String origin(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("manifest.entry.origin is not a URL: " + text);
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        boolean bare = uri.getRawPath() != null && uri.getRawPath().isEmpty() && uri.getRawQuery() == null
                && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host);
        boolean ok = bare && host != null && text.equals(text.toLowerCase(java.util.Locale.ROOT))
                && ("https".equals(scheme) || ("http".equals(scheme) && loopback && uri.getPort() > 0));
        if (!ok) {
            throw new IllegalArgumentException("manifest.entry.origin must be https://host[:port] or http://127.0.0.1:<port> "
                    + "/ http://localhost:<port> (lowercase, no path): " + text);
        }
        return text;
    }

    private static String page(String page, String id) {
        if (!page.startsWith("apps/" + id + "/") || page.contains("..") || page.contains("\\") || page.contains(":")) {
            throw new IllegalArgumentException("manifest.entry.page must be apps/" + id + "/<file>");
        }
        return page;
    }

    private static List<String> capabilities(JsonNode list) {
        if (list == null || !list.isArray() || list.size() > MAX_CAPABILITIES) {
            throw new IllegalArgumentException("manifest.capabilities must be an array of at most " + MAX_CAPABILITIES + " strings");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("manifest.capabilities must be strings");
            }
            String text;
            try {
                text = Capability.parse(item.textValue()).toString();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("manifest.capabilities: " + e.getMessage());
            }
            if (!out.add(text)) {
                throw new IllegalArgumentException("manifest.capabilities: duplicate " + text);
            }
        }
        return List.copyOf(new ArrayList<>(out));
    }

    private static AppLimits resources(JsonNode r) {
        if (r == null) {
            return new AppLimits(0, 0, 0, 0);
        }
        if (!r.isObject()) {
            throw new IllegalArgumentException("manifest.resources must be an object");
        }
        onlyFields(r, RESOURCE_FIELDS, "manifest.resources");
        return new AppLimits(nonNegative(r, "bandwidthInKiBps", Integer.MAX_VALUE), nonNegative(r, "bandwidthOutKiBps", Integer.MAX_VALUE),
                nonNegative(r, "storageBytes", Long.MAX_VALUE / 2), (int) nonNegative(r, "connections", 100_000));
    }

    private static long nonNegative(JsonNode r, String field, long max) {
        JsonNode v = r.get(field);
        if (v == null) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0 || v.asLong() > max) {
            throw new IllegalArgumentException("manifest.resources." + field + " must be an integer from 0 to " + max);
        }
        return v.asLong();
    }
}
