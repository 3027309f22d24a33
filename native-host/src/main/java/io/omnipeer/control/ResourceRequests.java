package io.omnipeer.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage.Request;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.rcmgr.AppLimits;
import io.omnipeer.rcmgr.AppUsage;
import io.omnipeer.rcmgr.BandwidthSchedule;
import io.omnipeer.rcmgr.ResourceManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * Serves the resource manager's control methods (API.md, "resource manager"): {@code apps.usage {id?}} →
 * {@code {apps:[usage], system:usage, refused:{"<scope kind> <limit>": count}}}, {@code settings.get {}} and
 * {@code settings.set {settings:{bandwidthInKiBps?, bandwidthOutKiBps?, altSchedule?}}} → {@code {settings:
 * {bandwidthInKiBps, bandwidthOutKiBps, altSchedule (object|null, see BandwidthSchedule), altActive, dataDir,
 * dataDirBytes}}}. Bandwidth in KiB/s, 0 =
 * unlimited, at most {@link ResourceManager#MAX_KIBPS}; rates in bytes/s. Page origins never reach it
 * ({@link OriginPolicy}). Bad params throw {@link IllegalArgumentException} (→ -32602). Thread-safe.
 */
final class ResourceRequests {
    /** Bound on the files visited to size the data dir (it holds a database and content blocks). */
    static final int MAX_DATA_DIR_ENTRIES = 1_000_000;
    /** Longest app id accepted in {@code apps.usage}. */
    static final int MAX_APP_ID_LENGTH = 256;

    private final ResourceManager resources;
    private final Path dataDir;

    ResourceRequests(ResourceManager resources, Path dataDir) {
        this.resources = resources;
        this.dataDir = dataDir;
    }

    /** True for the methods this class answers. */
    static boolean handles(String method) {
        return Methods.APPS_USAGE.equals(method) || Methods.SETTINGS_GET.equals(method) || Methods.SETTINGS_SET.equals(method);
    }

    JsonNode handle(Request request) {
        ObjectNode p = request.params();
        return switch (request.method()) {
            case Methods.APPS_USAGE -> appsUsage(p);
            case Methods.SETTINGS_GET -> settings();
            case Methods.SETTINGS_SET -> {
                setSettings(p);
                yield settings();
            }
            default -> throw new IllegalStateException("not a resource method: " + request.method());
        };
    }

    private JsonNode appsUsage(ObjectNode p) {
        List<AppUsage> apps;
        if (p.has("id")) {
            String id = RequestDispatcher.text(p, "id");
            if (id.length() > MAX_APP_ID_LENGTH || ResourceManager.SYSTEM_APP_ID.equals(id)) {
                throw new IllegalArgumentException("params.id must be an app id of at most " + MAX_APP_ID_LENGTH + " characters");
            }
            apps = List.of(resources.usage(id));
        } else {
            apps = resources.usage();
        }
        ObjectNode result = object();
        var list = result.putArray("apps");
        apps.forEach(u -> usageJson(list.addObject(), u));
        usageJson(result.putObject("system"), resources.usage(ResourceManager.SYSTEM_APP_ID));
        ObjectNode refused = result.putObject("refused");
        resources.refusals().forEach(refused::put);
        return result;
    }

    private static void usageJson(ObjectNode out, AppUsage u) {
        out.put("id", u.appId()).put("inBps", Math.round(u.inBps())).put("outBps", Math.round(u.outBps()))
                .put("bytesIn", u.bytesIn()).put("bytesOut", u.bytesOut()).put("streams", u.streams())
                .put("connections", u.connections()).put("storageBytes", u.storageBytes());
        AppLimits l = u.limits();
        out.putObject("limits").put("bandwidthInKiBps", l.bandwidthInKiBps()).put("bandwidthOutKiBps", l.bandwidthOutKiBps())
                .put("storageBytes", l.storageBytes()).put("connections", l.connections());
    }

    private void setSettings(ObjectNode p) {
        JsonNode settings = p.get("settings");
        if (settings == null || !settings.isObject()) {
            throw new IllegalArgumentException("params.settings must be an object");
        }
        settings.fieldNames().forEachRemaining(name -> {
            if (!name.equals("bandwidthInKiBps") && !name.equals("bandwidthOutKiBps") && !name.equals("altSchedule")) {
                throw new IllegalArgumentException("unknown setting " + name);
            }
        });
        long in = kibps(settings, "bandwidthInKiBps", resources.globalInKiBps());
        long out = kibps(settings, "bandwidthOutKiBps", resources.globalOutKiBps());
        JsonNode alt = settings.get("altSchedule");
        BandwidthSchedule schedule = alt == null ? null : alt.isNull() ? null : BandwidthSchedule.fromJson(alt);
        resources.setGlobalBandwidth(in, out);
        if (alt != null) {
            resources.setBandwidthSchedule(schedule);
        }
    }

    private static long kibps(JsonNode settings, String field, long current) {
        JsonNode v = settings.get(field);
        if (v == null) {
            return current;
        }
        if (!v.canConvertToExactIntegral() || v.asLong() < 0 || v.asLong() > ResourceManager.MAX_KIBPS) {
            throw new IllegalArgumentException("settings." + field + " must be an integer from 0 (unlimited) to "
                    + ResourceManager.MAX_KIBPS);
        }
        return v.asLong();
    }

    private ObjectNode settings() {
        ObjectNode result = object();
        ObjectNode s = result.putObject("settings").put("bandwidthInKiBps", resources.globalInKiBps())
                .put("bandwidthOutKiBps", resources.globalOutKiBps());
        BandwidthSchedule schedule = resources.bandwidthSchedule();
        if (schedule == null) {
            s.putNull("altSchedule");
        } else {
            s.set("altSchedule", schedule.toJson());
        }
        s.put("altActive", resources.altBandwidthActive());
        s.put("dataDir", dataDir.toString()).put("dataDirBytes", sizeOf(dataDir));
        return result;
    }

    /** Bytes in regular files under {@code dir} (files that vanish while we look are skipped). */
    static long sizeOf(Path dir) {
        long[] total = {0};
        int[] entries = {0};
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total[0] += attrs.size();
                    }
                    return ++entries[0] >= MAX_DATA_DIR_ENTRIES ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot size the data dir " + dir, e);
        }
        return total[0];
    }

    private static ObjectNode object() {
        return JsonRpcCodec.mapper().createObjectNode();
    }
}
