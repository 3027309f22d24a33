package io.omnipeer.apps;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.rcmgr.ResourceManager;
import io.omnipeer.store.Database;
import io.omnipeer.store.GrantStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Installed apps (API.md "apps platform"), persisted in the {@code apps} table with their signed manifest, plus an
 * in-memory index by id for the per-request principal lookup. Install verifies the manifest ({@link AppManifest#parse});
 * an update must carry the same publisher key and a strictly higher version. Remove drops the app's grants
 * ({@code app:<id>}); purge also drops its storage. Enabled apps get their manifest {@code resources} as limits in the
 * {@link ResourceManager}. Listeners hear the id of every app that changed, after the commit.
 *
 * <p>Thread-safe (writes serialised on the database, like {@link GrantStore}).
 */
public final class AppStore {
    /** An installed app; {@code installedAt} in epoch ms. */
    public record App(AppManifest manifest, boolean enabled, long installedAt) {
        public String id() {
            return manifest.id();
        }

        /** The principal grants and namespaces use for this app. */
        public String principal() {
            return PRINCIPAL_PREFIX + manifest.id();
        }
    }

    /** Principal prefix of an installed app ({@code app:<id>}). */
    public static final String PRINCIPAL_PREFIX = "app:";
    /** Most apps installed at once. */
    public static final int MAX_APPS = 1024;

    private final Database db;
    private final GrantStore grants;
    private final ResourceManager resources;
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    /** @param resources where enabled apps' limits go, or null (tests without a node) */
    public AppStore(GrantStore grants, ResourceManager resources) {
        this.db = grants.database();
        this.grants = grants;
        this.resources = resources;
        synchronized (db) {
            try (PreparedStatement s = db.connection().prepareStatement(
                    "SELECT signed_manifest, enabled, installed_at FROM apps");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    AppManifest m = AppManifest.parse(JsonRpcCodec.mapper().readTree(rs.getString(1)));
                    apps.put(m.id(), new App(m, rs.getInt(2) != 0, rs.getLong(3)));
                }
            } catch (SQLException | IOException e) {
                throw new UncheckedIOException(new IOException("cannot read apps: " + e.getMessage(), e));
            }
        }
        apps.values().stream().filter(App::enabled).forEach(this::applyLimits);
    }

    /** Called with an app id after it was installed, updated, enabled, disabled or removed. */
    public void addListener(Consumer<String> onAppChanged) {
        listeners.add(onAppChanged);
    }

    /**
     * Installs or updates an app from its signed manifest object. A new app starts enabled; an update keeps the
     * enabled state and install time.
     *
     * @throws IllegalArgumentException invalid manifest or signature, other publisher key, version not higher, entry
     *                                  origin used by another app, too many apps (nothing changes)
     */
    public App install(JsonNode signed) {
        AppManifest manifest = AppManifest.parse(signed);
        App app;
        synchronized (db) {
            App old = apps.get(manifest.id());
            if (old != null) {
                if (!old.manifest().publisherKey().equals(manifest.publisherKey())) {
                    throw new IllegalArgumentException("update of " + manifest.id() + " is signed by another publisher key ("
                            + manifest.fingerprint() + ", installed: " + old.manifest().fingerprint() + ")");
                }
                if (AppManifest.compareVersions(manifest.version(), old.manifest().version()) <= 0) {
                    throw new IllegalArgumentException("update of " + manifest.id() + " must have a version higher than "
                            + old.manifest().version() + " (got " + manifest.version() + ")");
                }
            } else if (apps.size() >= MAX_APPS) {
                throw new IllegalArgumentException("at most " + MAX_APPS + " apps can be installed");
            }
            if (manifest.entryOrigin() != null) {
                for (App other : apps.values()) {
                    if (!other.id().equals(manifest.id()) && manifest.entryOrigin().equals(other.manifest().entryOrigin())) {
                        throw new IllegalArgumentException("entry origin " + manifest.entryOrigin() + " already belongs to app "
                                + other.id());
                    }
                }
            }
            long now = System.currentTimeMillis();
            app = old == null ? new App(manifest, true, now) : new App(manifest, old.enabled(), old.installedAt());
            try (PreparedStatement s = db.connection().prepareStatement(
                    "INSERT INTO apps (id, signed_manifest, enabled, installed_at, updated_at) VALUES (?, ?, ?, ?, ?) "
                            + "ON CONFLICT (id) DO UPDATE SET signed_manifest = excluded.signed_manifest, "
                            + "updated_at = excluded.updated_at")) {
                s.setString(1, manifest.id());
                s.setString(2, manifest.signed().toString());
                s.setInt(3, app.enabled() ? 1 : 0);
                s.setLong(4, app.installedAt());
                s.setLong(5, now);
                s.executeUpdate();
            } catch (SQLException e) {
                throw failure("install " + manifest.id(), e);
            }
            apps.put(manifest.id(), app);
        }
        if (app.enabled()) {
            applyLimits(app);
        }
        changed(app.id());
        return app;
    }

    /** The app with this id. */
    public Optional<App> get(String id) {
        return Optional.ofNullable(apps.get(id));
    }

    /** All installed apps, by id. */
    public List<App> list() {
        List<App> out = new ArrayList<>(apps.values());
        out.sort(Comparator.comparing(App::id));
        return out;
    }

    /** The enabled app whose {@code entry.origin} is exactly {@code origin}. */
    public Optional<App> byOrigin(String origin) {
        for (App app : apps.values()) {
            if (app.enabled() && origin.equals(app.manifest().entryOrigin())) {
                return Optional.of(app);
            }
        }
        return Optional.empty();
    }

    /**
     * The principal of a request origin: {@code app:<id>} when it is an enabled app's entry origin, else the origin
     * itself (a web origin, or an {@code app:<id>} principal sent by the extension for a bundled app page).
     */
    public String principal(String origin) {
        return byOrigin(origin).map(App::principal).orElse(origin);
    }

    /**
     * Enables or disables an app.
     *
     * @throws IllegalArgumentException when no such app is installed
     */
    public App setEnabled(String id, boolean enabled) {
        App app;
        synchronized (db) {
            App old = require(id);
            try (PreparedStatement s = db.connection().prepareStatement("UPDATE apps SET enabled = ? WHERE id = ?")) {
                s.setInt(1, enabled ? 1 : 0);
                s.setString(2, id);
                s.executeUpdate();
            } catch (SQLException e) {
                throw failure((enabled ? "enable " : "disable ") + id, e);
            }
            app = new App(old.manifest(), enabled, old.installedAt());
            apps.put(id, app);
        }
        if (enabled) {
            applyLimits(app);
        }
        changed(id);
        return app;
    }

    /**
     * Removes an app and its grants; with {@code purge} also its stored data.
     *
     * @throws IllegalArgumentException when no such app is installed
     */
    public void remove(String id, boolean purge) {
        synchronized (db) {
            require(id);
            Connection c = db.connection();
            try {
                c.setAutoCommit(false);
                try (PreparedStatement s = c.prepareStatement("DELETE FROM apps WHERE id = ?")) {
                    s.setString(1, id);
                    s.executeUpdate();
                }
                if (purge) {
                    try (PreparedStatement s = c.prepareStatement("DELETE FROM app_storage WHERE namespace = ?")) {
                        s.setString(1, id);
                        s.executeUpdate();
                    }
                }
                c.commit();
            } catch (SQLException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // The original failure is reported.
                }
                throw failure("remove " + id, e);
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // Broken connection; the next statement reports it.
                }
            }
            apps.remove(id);
        }
        grants.revoke(PRINCIPAL_PREFIX + id, null);
        if (resources != null) {
            resources.forgetApp(id);
        }
        changed(id);
    }

    private App require(String id) {
        App app = apps.get(id);
        if (app == null) {
            throw new IllegalArgumentException("no app " + id + " is installed");
        }
        return app;
    }

    private void applyLimits(App app) {
        if (resources != null) {
            resources.setAppLimits(app.id(), app.manifest().resources());
        }
    }

    private void changed(String id) {
        listeners.forEach(l -> l.accept(id));
    }

    private static UncheckedIOException failure(String what, SQLException e) {
        return new UncheckedIOException(new IOException("cannot " + what + ": " + e.getMessage(), e));
    }
}
