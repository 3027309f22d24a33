package io.omnipeer.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.apps.AppManifest;
import io.omnipeer.apps.AppStorage;
import io.omnipeer.apps.AppStore;
import io.omnipeer.protocol.control.ErrorCodes;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.JsonRpcMessage.Request;
import io.omnipeer.protocol.control.Methods;
import io.omnipeer.protocol.control.RpcException;
import io.omnipeer.rcmgr.AppLimits;
import io.omnipeer.rcmgr.ResourceManager;
import java.util.Base64;
import java.util.Set;

/**
 * Serves the app platform's control methods (API.md "apps platform", UPDATES 23:47): {@code apps.list {}} →
 * {@code {apps:[app]}}, {@code apps.install {manifest}} / {@code apps.info|enable|disable {id}} → {@code {app}},
 * {@code apps.remove {id, purge?}} → {@code {removed:true}}, {@code apps.current {}} → {@code {app|null}}, and
 * {@code storage.get {key}} → {@code {data|null}}, {@code storage.put {key, data}} → {@code {}} (4290 with
 * {@code data:{limit:"storage", current, max}} past the quota), {@code storage.delete {key}} → {@code {deleted}},
 * {@code storage.list {prefix?}} → {@code {keys}}. App record: {@code {id, name, version, description, icon,
 * publisherKey, fingerprint, entry, capabilities, resources, enabled, installedAt}}. Requests arrive with
 * {@code origin} already mapped to the principal by {@link RequestDispatcher}; storage lives in the principal's
 * {@link Namespaces namespace}. Bad params → {@link IllegalArgumentException} (-32602). Thread-safe.
 */
final class AppRequests {
    /** Storage quota of a plain web origin (and of an app whose manifest asks for 0), in bytes. */
    static final long DEFAULT_STORAGE_QUOTA = 5L << 20;
    private static final Set<String> METHODS = Set.of(Methods.APPS_LIST, Methods.APPS_INSTALL, Methods.APPS_INFO,
            Methods.APPS_ENABLE, Methods.APPS_DISABLE, Methods.APPS_REMOVE, Methods.APPS_CURRENT, Methods.STORAGE_GET,
            Methods.STORAGE_PUT, Methods.STORAGE_DELETE, Methods.STORAGE_LIST);

    private final AppStore apps;
    private final AppStorage storage;
    private final ResourceManager resources;

    AppRequests(AppStore apps, AppStorage storage, ResourceManager resources) {
        this.apps = apps;
        this.storage = storage;
        this.resources = resources;
    }

    /** True for the methods this class answers. */
    static boolean handles(String method) {
        return METHODS.contains(method);
    }

    JsonNode handle(Request request) {
        ObjectNode p = request.params();
        String principal = request.origin();
        ObjectNode result = JsonRpcCodec.mapper().createObjectNode();
        switch (request.method()) {
            case Methods.APPS_LIST -> {
                var list = result.putArray("apps");
                apps.list().forEach(app -> list.add(json(app)));
            }
            case Methods.APPS_INSTALL -> {
                JsonNode manifest = p.get("manifest");
                result.set("app", json(apps.install(manifest)));
            }
            case Methods.APPS_INFO -> result.set("app", json(app(p)));
            case Methods.APPS_ENABLE -> result.set("app", json(apps.setEnabled(app(p).id(), true)));
            case Methods.APPS_DISABLE -> result.set("app", json(apps.setEnabled(app(p).id(), false)));
            case Methods.APPS_REMOVE -> {
                JsonNode purge = p.get("purge");
                if (purge != null && !purge.isBoolean() && !purge.isNull()) {
                    throw new IllegalArgumentException("params.purge must be a boolean");
                }
                apps.remove(app(p).id(), purge != null && purge.asBoolean());
                result.put("removed", true);
            }
            case Methods.APPS_CURRENT -> {
                var app = principal == null ? null : appOf(principal);
                if (app == null) {
                    result.putNull("app");
                } else {
                    result.set("app", json(app));
                }
            }
            case Methods.STORAGE_GET -> {
                var value = storage.get(namespace(principal), RequestDispatcher.text(p, "key"));
                if (value.isPresent()) {
                    result.put("data", Base64.getEncoder().encodeToString(value.get()));
                } else {
                    result.putNull("data");
                }
            }
            case Methods.STORAGE_PUT -> {
                String ns = namespace(principal);
                AppStore.App app = appOf(principal);
                long quota = app == null || app.manifest().resources().storageBytes() == 0
                        ? DEFAULT_STORAGE_QUOTA : app.manifest().resources().storageBytes();
                long used = storage.put(ns, RequestDispatcher.text(p, "key"), RequestDispatcher.base64(p, "data"), quota);
                if (app != null && resources != null) {
                    resources.setStorageUsed(app.id(), used);
                }
            }
            case Methods.STORAGE_DELETE -> {
                String ns = namespace(principal);
                result.put("deleted", storage.delete(ns, RequestDispatcher.text(p, "key")));
                AppStore.App app = appOf(principal);
                if (app != null && resources != null) {
                    resources.setStorageUsed(app.id(), storage.used(ns));
                }
            }
            case Methods.STORAGE_LIST -> {
                JsonNode prefix = p.get("prefix");
                if (prefix != null && !prefix.isNull() && !prefix.isTextual()) {
                    throw new IllegalArgumentException("params.prefix must be a string");
                }
                var keys = result.putArray("keys");
                storage.list(namespace(principal), prefix == null || prefix.isNull() ? "" : prefix.textValue())
                        .forEach(keys::add);
            }
            default -> throw new IllegalStateException("not an apps method: " + request.method());
        }
        return result;
    }

    /** The app a principal names ({@code app:<id>}, installed and enabled), or null. */
    private AppStore.App appOf(String principal) {
        if (!principal.startsWith(AppStore.PRINCIPAL_PREFIX)) {
            return null;
        }
        return apps.get(principal.substring(AppStore.PRINCIPAL_PREFIX.length())).filter(AppStore.App::enabled).orElse(null);
    }

    /** The storage namespace of the caller; the CLI/popup (no origin) has none. */
    private static String namespace(String principal) {
        if (principal == null) {
            throw new RpcException(ErrorCodes.UNAUTHORIZED, "storage belongs to a page origin or app; send origin");
        }
        return Namespaces.of(principal);
    }

    private AppStore.App app(ObjectNode p) {
        String id = RequestDispatcher.text(p, "id");
        return apps.get(id).orElseThrow(() -> new IllegalArgumentException("no app " + id + " is installed"));
    }

    /** The app record (API.md "apps platform"). */
    static ObjectNode json(AppStore.App app) {
        AppManifest m = app.manifest();
        ObjectNode out = JsonRpcCodec.mapper().createObjectNode().put("id", m.id()).put("name", m.name())
                .put("version", m.version()).put("description", m.description()).put("icon", m.icon())
                .put("publisherKey", m.publisherKey()).put("fingerprint", m.fingerprint());
        out.set("entry", m.entry().deepCopy());
        var caps = out.putArray("capabilities");
        m.capabilities().forEach(caps::add);
        AppLimits r = m.resources();
        out.putObject("resources").put("bandwidthInKiBps", r.bandwidthInKiBps()).put("bandwidthOutKiBps", r.bandwidthOutKiBps())
                .put("storageBytes", r.storageBytes()).put("connections", r.connections());
        return out.put("enabled", app.enabled()).put("installedAt", app.installedAt());
    }
}
