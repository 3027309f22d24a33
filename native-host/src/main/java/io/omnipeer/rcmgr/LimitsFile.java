package io.omnipeer.rcmgr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.rcmgr.ResourceManager.ScopeKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The resource limits saved as JSON in the data dir ({@code limits.json}), so the user can read and change what
 * the daemon enforces (DESIGN.md, "Resource limits scale with the machine ... saved as JSON"):
 * <pre>
 * {"defaults": {"system": {...}, "app": {...}, "peer": {...}, "protocol": {...}, "connection": {...}, "stream": {...}},
 *  "scopes": {"peer:12D3Koo...": {...}, "protocol:/ipfs/kad/1.0.0": {...}, "app:org.example.chat": {...}}}
 * </pre>
 * each limit object {@code {connsInbound, connsOutbound, conns, streamsInbound, streamsOutbound, streams, memory,
 * storage}} (counts; bytes), a missing field keeping the built-in default and -1 meaning unlimited. Stateless.
 */
public final class LimitsFile {
    /** File name in the data dir. */
    public static final String NAME = "limits.json";
    /** Largest file read (a hand-edited file has a few dozen scopes). */
    static final long MAX_BYTES = 1024 * 1024;
    /** Most per-scope entries read. */
    static final int MAX_SCOPES = 4096;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LimitsFile() {
    }

    /**
     * Applies {@code file} to {@code resources} if it exists; otherwise writes the limits in force there.
     * @throws IOException              if the file cannot be read or written
     * @throws IllegalArgumentException if it is not valid (too big, not JSON, unknown scope kind or field, negative
     *                                  other than -1); nothing is applied then
     */
    public static void loadOrCreate(Path file, ResourceManager resources) throws IOException {
        if (!Files.exists(file)) {
            write(file, resources);
            return;
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IllegalArgumentException(file + " is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<ScopeKind, ScopeLimits> defaults = new java.util.EnumMap<>(ScopeKind.class);
        Map<String, ScopeLimits> scopes = new java.util.HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("defaults").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ScopeKind kind;
            try {
                kind = ScopeKind.valueOf(e.getKey().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException x) {
                throw new IllegalArgumentException("unknown scope kind " + e.getKey() + " in " + file);
            }
            defaults.put(kind, parse(e.getValue(), resources.defaultLimits(kind), e.getKey()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("scopes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (scopes.size() >= MAX_SCOPES) {
                throw new IllegalArgumentException("more than " + MAX_SCOPES + " scopes in " + file);
            }
            ScopeKind kind = kindOf(e.getKey());
            scopes.put(e.getKey(), parse(e.getValue(), defaults.getOrDefault(kind, resources.defaultLimits(kind)), e.getKey()));
        }
        defaults.forEach(resources::setDefaultLimits);
        scopes.forEach(resources::setLimits);
    }

    /** Writes the limits in force (defaults and overrides) to {@code file}, atomically. */
    public static void write(Path file, ResourceManager resources) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode defaults = root.putObject("defaults");
        for (ScopeKind kind : ScopeKind.values()) {
            defaults.set(kind.name().toLowerCase(Locale.ROOT), json(resources.defaultLimits(kind)));
        }
        ObjectNode scopes = root.putObject("scopes");
        new java.util.TreeMap<>(resources.overrides()).forEach((name, l) -> scopes.set(name, json(l)));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(tmp.toFile(), root);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static ScopeKind kindOf(String scopeName) {
        int colon = scopeName.indexOf(':');
        String prefix = colon < 0 ? scopeName : scopeName.substring(0, colon);
        return switch (prefix) {
            case "system" -> ScopeKind.SYSTEM;
            case "app" -> ScopeKind.APP;
            case "peer" -> ScopeKind.PEER;
            case "protocol" -> ScopeKind.PROTOCOL;
            default -> throw new IllegalArgumentException("scope names are system, app:<id>, peer:<id> or protocol:<id>, not " + scopeName);
        };
    }

    private static ObjectNode json(ScopeLimits l) {
        ObjectNode o = JSON.createObjectNode();
        o.put("connsInbound", count(l.connsInbound())).put("connsOutbound", count(l.connsOutbound())).put("conns", count(l.conns()))
                .put("streamsInbound", count(l.streamsInbound())).put("streamsOutbound", count(l.streamsOutbound()))
                .put("streams", count(l.streams())).put("memory", bytes(l.memory())).put("storage", bytes(l.storage()));
        return o;
    }

    private static long count(int v) {
        return v == Integer.MAX_VALUE ? -1 : v;
    }

    private static long bytes(long v) {
        return v == Long.MAX_VALUE ? -1 : v;
    }

    private static ScopeLimits parse(JsonNode o, ScopeLimits base, String where) {
        if (!o.isObject()) {
            throw new IllegalArgumentException("limits of " + where + " must be an object");
        }
        o.fieldNames().forEachRemaining(f -> {
            if (!json(ScopeLimits.UNLIMITED).has(f)) {
                throw new IllegalArgumentException("unknown limit " + f + " in " + where);
            }
        });
        return new ScopeLimits(
                (int) Math.min(Integer.MAX_VALUE, value(o, "connsInbound", base.connsInbound(), Integer.MAX_VALUE, where)),
                (int) Math.min(Integer.MAX_VALUE, value(o, "connsOutbound", base.connsOutbound(), Integer.MAX_VALUE, where)),
                (int) Math.min(Integer.MAX_VALUE, value(o, "conns", base.conns(), Integer.MAX_VALUE, where)),
                (int) Math.min(Integer.MAX_VALUE, value(o, "streamsInbound", base.streamsInbound(), Integer.MAX_VALUE, where)),
                (int) Math.min(Integer.MAX_VALUE, value(o, "streamsOutbound", base.streamsOutbound(), Integer.MAX_VALUE, where)),
                (int) Math.min(Integer.MAX_VALUE, value(o, "streams", base.streams(), Integer.MAX_VALUE, where)),
                value(o, "memory", base.memory(), Long.MAX_VALUE, where),
                value(o, "storage", base.storage(), Long.MAX_VALUE, where));
    }

    private static long value(JsonNode o, String field, long fallback, long unlimited, String where) {
        JsonNode v = o.get(field);
        if (v == null) {
            return fallback;
        }
        if (!v.canConvertToExactIntegral() || !v.canConvertToLong() || v.asLong() < -1) {
            throw new IllegalArgumentException(where + "." + field + " must be an integer, -1 for unlimited");
        }
        return v.asLong() == -1 ? unlimited : v.asLong();
    }
}
