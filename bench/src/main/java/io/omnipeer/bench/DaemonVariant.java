package io.omnipeer.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the daemon JVM is started: {@code flags == null} means exactly as {@code ./omnipeer daemon} does (the launcher's
 * default flags, with {@code env} added to its environment); otherwise the daemon jar with these JVM flags instead.
 * Launcher runs keep their AppCDS archive under {@code bench/results/tmp/cds-cache} (XDG_CACHE_HOME), away from the
 * user's cache that other checkouts' launches prune.
 */
record DaemonVariant(String label, List<String> flags, Map<String, String> env) {
    static final DaemonVariant LAUNCHER = new DaemonVariant("launcher default (G1 + AppCDS)", null, Map.of());
    static final DaemonVariant LAUNCHER_NO_CDS = new DaemonVariant("launcher with OMNIPEER_CDS=off (G1)", null,
            Map.of("OMNIPEER_CDS", "off"));

    /** Flag sets worth trying for a small always-on desktop daemon (CDS archive, heap bound, GC choice). */
    static List<DaemonVariant> candidates(Path tmp) {
        return List.of(LAUNCHER, LAUNCHER_NO_CDS,
                new DaemonVariant("SerialGC -Xmx128m", List.of("-Xshare:auto", "-XX:+UseSerialGC", "-Xmx128m"), Map.of()),
                new DaemonVariant("ZGC", List.of("-Xshare:auto", "-XX:+UseZGC"), Map.of()));
    }

    List<String> command(Launch l, Path dataDir, String... daemonArgs) {
        if (flags != null) {
            return l.javaDaemon(flags, dataDir, daemonArgs);
        }
        List<String> cmd = new ArrayList<>(List.of("env", "XDG_CACHE_HOME=" + l.tmp().resolve("cds-cache")));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(l.launcherDaemon(dataDir, daemonArgs));
        return cmd;
    }
}
