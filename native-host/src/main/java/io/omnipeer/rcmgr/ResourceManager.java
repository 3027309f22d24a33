package io.omnipeer.rcmgr;

import io.omnipeer.core.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Accounts connections, streams, memory and storage in a DAG of scopes and throttles bandwidth (go-libp2p
 * {@code p2p/host/resource-manager}, README "Resource Scopes"):
 * <pre>
 *   system ─┬─ peer:&lt;id&gt; ── conn:&lt;n&gt; ── stream:&lt;n&gt;
 *           ├─ protocol:&lt;id&gt; ──────────────┘ (from protocol agreement on)
 *           └─ app:&lt;id&gt; ───────────────────┘ (streams whose protocol starts with /omnipeer/app/&lt;id&gt;/)
 * </pre>
 * A connection is reserved in the system scope when accepted or dialled ({@link #openConnection}) and in its
 * peer's scope once the peer is authenticated ({@link ConnectionScope#setPeer}); a stream in its connection, peer
 * and the system when opened ({@link ConnectionScope#openStream}), and in its protocol's and app's scopes at
 * protocol agreement ({@link StreamScope#setProtocol}). Every scope on the path is checked before any changes, so a
 * refused reservation ({@link ResourceLimitException}) leaves nothing behind; {@code done()} releases all of it.
 *
 * <p>Bandwidth: per app in/out token buckets ({@link #setAppLimits}) and global ones ({@link #setGlobalBandwidth})
 * applied by the {@link InboundThrottle} and {@link OutboundThrottle} each stream gets at agreement.
 *
 * <p>Thread-safe: reservations run under one lock (short critical sections, no I/O).
 */
public final class ResourceManager {
    /** Protocol ids of app {@code X} start with {@code /omnipeer/app/X/} (API.md, "apps platform", Namespacing). */
    public static final String APP_PROTOCOL_PREFIX = "/omnipeer/app/";
    /** App id of traffic that belongs to no app, in usage reports. */
    public static final String SYSTEM_APP_ID = "system";
    /**
     * Memory every stream holds from open to close: its yamux receive window, the most it may buffer inbound
     * (libp2p/specs yamux/README.md, "Flow Control": initial window 256 KiB).
     */
    public static final long STREAM_MEMORY = 256 * 1024;
    /** Highest bandwidth limit accepted, in KiB/s (about 10 GB/s; more is "unlimited" in practice). */
    public static final long MAX_KIBPS = 10_000_000;
    /** Longest app id taken from a protocol id (reverse-DNS names are far shorter). */
    static final int MAX_APP_ID_LENGTH = 256;

    /** The kinds of scope; each has default limits ({@link #setDefaultLimits}). */
    public enum ScopeKind { SYSTEM, APP, PEER, PROTOCOL, CONNECTION, STREAM }

    final Object lock = new Object();
    private final Map<ScopeKind, ScopeLimits> defaults = new ConcurrentHashMap<>();
    private final Map<String, ScopeLimits> overrides = new ConcurrentHashMap<>();
    private final ResourceScope system;
    private final Map<String, ResourceScope> peers = new HashMap<>();
    private final Map<String, ResourceScope> protocols = new HashMap<>();
    private final Map<String, AppAccount> apps = new ConcurrentHashMap<>();
    private final Traffic systemTraffic = new Traffic();
    private final GlobalBandwidth global = new GlobalBandwidth();
    private final List<Consumer<ResourceManager>> globalListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();

    /** Defaults sized for this JVM ({@link DefaultLimits#forHeap} of {@code Runtime.maxMemory()}). */
    public ResourceManager() {
        this(DefaultLimits.forHeap(Runtime.getRuntime().maxMemory()));
    }

    /** @param defaults limits per scope kind; missing kinds are unlimited */
    public ResourceManager(Map<ScopeKind, ScopeLimits> defaults) {
        for (ScopeKind kind : ScopeKind.values()) {
            this.defaults.put(kind, defaults.getOrDefault(kind, ScopeLimits.UNLIMITED));
        }
        this.system = scope(SYSTEM_APP_ID, ScopeKind.SYSTEM, () -> limitsOf(SYSTEM_APP_ID, ScopeKind.SYSTEM));
    }

    // ---- limits ----

    /** Sets the default limits of every scope of {@code kind} (existing scopes included) without an override. */
    public void setDefaultLimits(ScopeKind kind, ScopeLimits limits) {
        defaults.put(kind, Objects.requireNonNull(limits));
    }

    /** The default limits of {@code kind}. */
    public ScopeLimits defaultLimits(ScopeKind kind) {
        return defaults.get(kind);
    }

    /** The per-scope overrides set with {@link #setLimits}, by scope name. */
    public Map<String, ScopeLimits> overrides() {
        return Map.copyOf(overrides);
    }

    /**
     * Overrides the limits of one scope by name ({@code system}, {@code app:<id>}, {@code peer:<id>},
     * {@code protocol:<id>}); {@code null} removes the override.
     */
    public void setLimits(String scopeName, ScopeLimits limits) {
        if (limits == null) {
            overrides.remove(scopeName);
        } else {
            overrides.put(scopeName, limits);
        }
    }

    ScopeLimits limitsOf(String scopeName, ScopeKind kind) {
        ScopeLimits l = overrides.get(scopeName);
        return l != null ? l : defaults.get(kind);
    }

    /**
     * Sets what app {@code appId} may use (from its manifest); takes effect at once, on open streams too.
     * The apps platform calls it on install, update and enable.
     */
    public void setAppLimits(String appId, AppLimits limits) {
        AppAccount app = app(appId);
        app.limits = Objects.requireNonNull(limits);
        app.traffic.setRates(limits.bandwidthInKiBps() * 1024, limits.bandwidthOutKiBps() * 1024);
    }

    /** The limits of {@code appId} ({@link AppLimits#UNLIMITED} if never set). */
    public AppLimits appLimits(String appId) {
        AppAccount app = apps.get(appId);
        return app == null ? AppLimits.UNLIMITED : app.limits;
    }

    /** Forgets an app's limits and usage (after removal); its open streams, if any, keep their accounting. */
    public void forgetApp(String appId) {
        apps.remove(appId);
    }

    /**
     * Sets the user's (normal) global bandwidth limits for all streams, apps and system alike (settings.set).
     * @param inKiBps  0 = unlimited
     * @param outKiBps 0 = unlimited
     */
    public void setGlobalBandwidth(long inKiBps, long outKiBps) {
        global.setNormal(inKiBps, outKiBps);
        globalListeners.forEach(l -> l.accept(this));
    }

    /** Global inbound limit in KiB/s, 0 = unlimited (the normal one; see {@link #setBandwidthSchedule}). */
    public long globalInKiBps() {
        return global.normalIn();
    }

    /** Global outbound limit in KiB/s, 0 = unlimited (the normal one; see {@link #setBandwidthSchedule}). */
    public long globalOutKiBps() {
        return global.normalOut();
    }

    /**
     * Sets (or with null removes) the alt-speed schedule: its global limits replace the normal ones during its
     * windows: evaluated now, then about once a second while traffic flows (and on {@link #usage}), or by
     * {@link #applySchedule}.
     * Listeners of {@link #addGlobalBandwidthListener} are told.
     */
    public void setBandwidthSchedule(BandwidthSchedule schedule) {
        global.setSchedule(schedule, java.time.LocalDateTime.now());
        globalListeners.forEach(l -> l.accept(this));
    }

    /** The alt-speed schedule, or null. */
    public BandwidthSchedule bandwidthSchedule() {
        return global.schedule();
    }

    /** Switches between normal and alternative global limits if the schedule says so at {@code now} (local time). */
    public void applySchedule(java.time.LocalDateTime now) {
        global.apply(now);
    }

    /** True while the schedule's alternative limits are in force. */
    public boolean altBandwidthActive() {
        return global.altActive();
    }

    /** Called (on the caller's thread) after each {@link #setGlobalBandwidth} or {@link #setBandwidthSchedule}. */
    public void addGlobalBandwidthListener(Consumer<ResourceManager> listener) {
        globalListeners.add(listener);
    }

    // ---- scopes ----

    /** The system scope (root of the DAG). */
    public ResourceScope systemScope() {
        return system;
    }

    /** The scope of app {@code appId} (created if needed). */
    public ResourceScope appScope(String appId) {
        return app(appId).scope;
    }

    /** The scope of {@code peer} if it holds anything now. */
    public java.util.Optional<ResourceScope> peerScope(PeerId peer) {
        synchronized (lock) {
            return java.util.Optional.ofNullable(peers.get(peerScopeName(peer)));
        }
    }

    /**
     * Reserves a connection in the system scope, before the transport handshake (the peer is not known yet).
     * @throws ResourceLimitException at the system's connection limits
     */
    public ConnectionScope openConnection(Direction direction) {
        ResourceScope conn = scope("conn:" + ids.incrementAndGet(), ScopeKind.CONNECTION,
                () -> limitsOf("", ScopeKind.CONNECTION));
        synchronized (lock) {
            system.checkConn(direction);
            system.addConn(direction, 1);
            conn.addConn(direction, 1);
        }
        return new ConnectionScope(this, direction, conn);
    }

    /**
     * Reserves storage bytes of an app: {@code delta > 0} before writing (refused past the app's storage limit or
     * the system's), {@code delta < 0} after deleting. The apps platform calls it around each storage write.
     * @throws ResourceLimitException when {@code delta} bytes more would pass a storage limit; nothing reserved
     */
    public void reserveStorage(String appId, long delta) {
        AppAccount app = app(appId);
        synchronized (lock) {
            if (delta > 0) {
                app.scope.checkStorage(delta);
                system.checkStorage(delta);
            }
            long applied = delta < 0 ? -Math.min(-delta, app.scope.usage().storage()) : delta;
            app.scope.addStorage(applied);
            system.addStorage(applied);
        }
    }

    /** Sets what an app has stored already (at start, from the store); never refused. */
    public void setStorageUsed(String appId, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("stored bytes must not be negative");
        }
        AppAccount app = app(appId);
        synchronized (lock) {
            long before = app.scope.usage().storage();
            app.scope.setStorage(bytes);
            system.addStorage(bytes - before);
        }
    }

    // ---- usage ----

    /** Live usage of {@code appId} (zeros for an app never seen); {@link #SYSTEM_APP_ID} gives system traffic. */
    public AppUsage usage(String appId) {
        if (SYSTEM_APP_ID.equals(appId)) {
            global.tick();
            ScopeUsage s = system.usage();
            return new AppUsage(SYSTEM_APP_ID, systemTraffic.in.perSecond(), systemTraffic.out.perSecond(),
                    systemTraffic.in.total(), systemTraffic.out.total(), s.streams(), s.conns(), s.storage(),
                    new AppLimits(global.effective()[0], global.effective()[1], 0, 0));
        }
        AppAccount app = apps.get(appId);
        if (app == null) {
            return new AppUsage(appId, 0, 0, 0, 0, 0, 0, 0, AppLimits.UNLIMITED);
        }
        ScopeUsage s = app.scope.usage();
        return new AppUsage(appId, app.traffic.in.perSecond(), app.traffic.out.perSecond(), app.traffic.in.total(),
                app.traffic.out.total(), s.streams(), s.conns(), s.storage(), app.limits);
    }

    /** Usage of every app known (limits set, or traffic seen), sorted by id. */
    public List<AppUsage> usage() {
        List<AppUsage> out = new ArrayList<>();
        apps.keySet().stream().sorted().forEach(id -> out.add(usage(id)));
        return out;
    }

    /**
     * How many reservations each limit refused since start, by scope kind and limit, e.g.
     * {@code "peer streams inbound" → 3} (going over a limit is a temporary error, counted in metrics).
     */
    public Map<String, Long> refusals() {
        Map<String, Long> out = new java.util.TreeMap<>();
        refusals.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * The app a protocol id belongs to: {@code X} for {@code /omnipeer/app/X/...}, else null (system traffic).
     */
    public static String appOf(String protocol) {
        if (protocol == null || !protocol.startsWith(APP_PROTOCOL_PREFIX)) {
            return null;
        }
        int end = protocol.indexOf('/', APP_PROTOCOL_PREFIX.length());
        if (end <= APP_PROTOCOL_PREFIX.length() || end - APP_PROTOCOL_PREFIX.length() > MAX_APP_ID_LENGTH) {
            return null;
        }
        return protocol.substring(APP_PROTOCOL_PREFIX.length(), end);
    }

    // ---- package-private plumbing for ConnectionScope / StreamScope ----

    AppAccount app(String appId) {
        if (appId == null || appId.isEmpty() || SYSTEM_APP_ID.equals(appId)) {
            throw new IllegalArgumentException("not an app id: " + appId);
        }
        return apps.computeIfAbsent(appId, id -> new AppAccount(id, scope("app:" + id, ScopeKind.APP,
                () -> appLimits(id, limitsOf("app:" + id, ScopeKind.APP)))));
    }

    private ScopeLimits appLimits(String id, ScopeLimits base) {
        AppLimits l = appLimits(id);
        ScopeLimits out = base;
        if (l.connections() > 0) {
            out = out.withConns(out.connsInbound(), out.connsOutbound(), l.connections());
        }
        if (l.storageBytes() > 0) {
            out = out.withStorage(l.storageBytes());
        }
        return out;
    }

    /** Caller holds {@link #lock}. */
    ResourceScope peerScopeLocked(PeerId peer) {
        String name = peerScopeName(peer);
        return peers.computeIfAbsent(name, n -> scope(n, ScopeKind.PEER, () -> limitsOf(n, ScopeKind.PEER)));
    }

    /** Caller holds {@link #lock}. */
    ResourceScope protocolScopeLocked(String protocol) {
        String name = "protocol:" + protocol;
        return protocols.computeIfAbsent(name, n -> scope(n, ScopeKind.PROTOCOL, () -> limitsOf(n, ScopeKind.PROTOCOL)));
    }

    /** Drops peer and protocol scopes that hold nothing any more; caller holds {@link #lock}. */
    void collectLocked(ResourceScope scope) {
        if (scope != null && scope.isIdle()) {
            peers.remove(scope.name(), scope);
            protocols.remove(scope.name(), scope);
        }
    }

    ResourceScope newStreamScope() {
        return scope("stream:" + ids.incrementAndGet(), ScopeKind.STREAM, () -> limitsOf("", ScopeKind.STREAM));
    }

    ResourceScope system() {
        return system;
    }

    Traffic systemTraffic() {
        return systemTraffic;
    }

    GlobalBandwidth global() {
        return global;
    }

    private ResourceScope scope(String name, ScopeKind kind, java.util.function.Supplier<ScopeLimits> limits) {
        String prefix = kind.name().toLowerCase(java.util.Locale.ROOT) + " ";
        return new ResourceScope(name, limits, lock,
                e -> refusals.computeIfAbsent(prefix + e.limit(), k -> new LongAdder()).increment());
    }

    private static String peerScopeName(PeerId peer) {
        return "peer:" + peer.toBase58();
    }
}
