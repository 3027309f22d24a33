package io.omnipeer.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for the bench's child processes: our Java mains, the js scripts, the daemon launcher. */
final class Launch {
    private final Path repo;
    private final Path tmp;
    private final Path baselineJar;

    /** @param baselineJar a native-host jar from an earlier commit, or null (no before/after pairs) */
    Launch(Path repo, Path tmp, Path baselineJar) {
        this.repo = repo;
        this.tmp = tmp;
        this.baselineJar = baselineJar;
    }

    private List<String> pairFilter = List.of();

    /** Restricts throughput/connect to pairs whose label contains one of these (empty: all). */
    void pairFilter(List<String> labels) {
        pairFilter = List.copyOf(labels);
    }

    boolean wants(String pairLabel) {
        return pairFilter.isEmpty() || pairFilter.stream().anyMatch(pairLabel::contains);
    }

    boolean hasBaseline() {
        return baselineJar != null;
    }

    /**
     * Like {@link #java} with the baseline native-host jar first on the classpath, so its classes win over the
     * current ones (which the bench jar's manifest Class-Path would otherwise put right behind the bench jar).
     */
    List<String> baselineJava(String main, String... args) {
        if (baselineJar == null) {
            throw new IllegalStateException("no --baseline-jar given");
        }
        String cp = baselineJar + java.io.File.pathSeparator + System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                "io.omnipeer.bench." + main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    Path repo() {
        return repo;
    }

    Path tmp() {
        return tmp;
    }

    Path jsDir() {
        return repo.resolve("e2e-tests/js");
    }

    Path nodeBinary() {
        return jsDir().resolve("node_modules/node/bin/node");
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java <flags> -cp <this classpath> io.omnipeer.bench.<main> args}. */
    List<String> java(String main, List<String> jvmFlags, String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.omnipeer.bench." + main));
        cmd.addAll(List.of(args));
        return cmd;
    }

    List<String> js(String script, String... args) {
        List<String> cmd = new ArrayList<>(List.of(nodeBinary().toString(), jsDir().resolve(script).toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The daemon exactly as users start it: {@code ./omnipeer --data-dir D daemon ...}. */
    List<String> launcherDaemon(Path dataDir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(repo.resolve("omnipeer").toString(), "--data-dir", dataDir.toString(),
                "daemon"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The daemon's jar run with explicit JVM flags (for comparing flag sets against the launcher's). */
    List<String> javaDaemon(List<String> jvmFlags, Path dataDir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary()));
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-jar",
                repo.resolve("native-host/target/native-host-0.1.0-SNAPSHOT.jar").toString(), "--data-dir",
                dataDir.toString(), "daemon"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    ChildProcess start(String name, List<String> command) throws java.io.IOException {
        return ChildProcess.start(name, command, Files.isDirectory(jsDir()) ? jsDir() : repo, tmp);
    }
}
