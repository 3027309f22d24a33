package io.omnipeer.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * How the daemon JVM is started: {@code flags == null} means exactly as {@code ./omnipeer daemon} does (the launcher's
 * default flags); otherwise the daemon jar with these JVM flags instead.
 */
record DaemonVariant(String label, List<String> flags) {
    static final DaemonVariant LAUNCHER = new DaemonVariant("launcher default (G1)", null);

    /** Flag sets worth trying for a small always-on desktop daemon (heap bound, GC choice, CDS archive). */
    static List<DaemonVariant> candidates(Path tmp) {
        String cds = "-XX:SharedArchiveFile=" + tmp.resolve("daemon-cds.jsa");
        return List.of(LAUNCHER,
                new DaemonVariant("SerialGC -Xmx128m", List.of("-Xshare:auto", "-XX:+UseSerialGC", "-Xmx128m")),
                new DaemonVariant("ZGC", List.of("-Xshare:auto", "-XX:+UseZGC")),
                new DaemonVariant("SerialGC -Xmx128m + AppCDS", List.of("-XX:+UseSerialGC", "-Xmx128m",
                        "-XX:+AutoCreateSharedArchive", cds)));
    }

    List<String> command(Launch l, Path dataDir, String... daemonArgs) {
        return flags == null ? l.launcherDaemon(dataDir, daemonArgs) : l.javaDaemon(flags, dataDir, daemonArgs);
    }
}
