package io.omnipeer.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the daemon JVM is started: {@code flags == null} means exactly as {@code ./omnipeer daemon} does (the launcher's
 * default flags, with {@code env} added to its environment); otherwise the daemon jar with these JVM flags instead.
 * Launcher runs keep their AppCDS archive under {@code bench/results/tmp/cds-cache} (XDG_CACHE_HOME), away from the
 * user's cache that other checkouts' launches prune. A flag {@value #LAUNCHER_ARCHIVE} stands for
 * {@code -XX:SharedArchiveFile=} that archive (the launcher's runs come first and write it; a run without it fails
 * rather than measure something else under this label).
 */
record DaemonVariant(String label, List<String> flags, Map<String, String> env) {
    static final DaemonVariant LAUNCHER = new DaemonVariant("launcher default (G1 + AppCDS)", null, Map.of());
    static final String LAUNCHER_ARCHIVE = "@launcher-cds-archive";
    static final DaemonVariant LAUNCHER_NO_CDS = new DaemonVariant("launcher with OMNIPEER_CDS=off (G1)", null,
            Map.of("OMNIPEER_CDS", "off"));

    /** Flag sets worth trying for a small always-on desktop daemon (CDS archive, heap bound, GC choice). */
    static List<DaemonVariant> candidates(Path tmp) {
        return List.of(LAUNCHER, LAUNCHER_NO_CDS,
                new DaemonVariant("SerialGC -Xmx128m", List.of("-Xshare:auto", "-XX:+UseSerialGC", "-Xmx128m"), Map.of()),
                new DaemonVariant("ZGC", List.of("-Xshare:auto", "-XX:+UseZGC"), Map.of()),
                new DaemonVariant("SerialGC -Xmx128m + AppCDS", List.of("-Xshare:auto", "-XX:+UseSerialGC", "-Xmx128m",
                        LAUNCHER_ARCHIVE, "-Xlog:cds*=off,aot*=off"), Map.of()));
    }

    /** The newest AppCDS archive the launcher published under the bench's cache. */
    private static Path launcherArchive(Launch l) {
        Path dir = l.tmp().resolve("cds-cache/omnipeer/cds");
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("daemon-\\d+\\.jsa"))
                    .max(java.util.Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException("no launcher AppCDS archive in " + dir));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    List<String> command(Launch l, Path dataDir, String... daemonArgs) {
        if (flags != null) {
            List<String> jvm = new ArrayList<>();
            for (String f : flags) {
                jvm.add(f.equals(LAUNCHER_ARCHIVE) ? "-XX:SharedArchiveFile=" + launcherArchive(l) : f);
            }
            return l.javaDaemon(jvm, dataDir, daemonArgs);
        }
        List<String> cmd = new ArrayList<>(List.of("env", "XDG_CACHE_HOME=" + l.tmp().resolve("cds-cache")));
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(l.launcherDaemon(dataDir, daemonArgs));
        return cmd;
    }
}
