package io.omnipeer.e2e.daemon;

import io.omnipeer.e2e.browser.OmnipeerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The launcher's AppCDS archive for the daemon ({@code ./omnipeer}, {@code cds_flags}): daemons started and stopped
 * at the same time each write their own archive, the next launch publishes one by an atomic rename, later daemons map
 * it, nobody rewrites it, and a stale or corrupt archive is ignored without output. Real daemons on 127.0.0.1, with
 * their own per-user cache directory ({@code XDG_CACHE_HOME}).
 */
class LauncherCdsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int DAEMONS = 3;

    @TempDir
    Path work;

    @Test
    void concurrentDaemonsShareOneValidArchiveAndAStaleOneIsIgnored() throws Exception {
        Path cds = work.resolve("cache/omnipeer/cds");

        List<Path> logs = round(1, DAEMONS);
        assertThat(files(cds)).isNotEmpty().allMatch(n -> n.matches("daemon-\\d+\\.jsa\\.\\d+\\.tmp"));

        logs.addAll(round(2, DAEMONS));
        List<String> afterSecond = files(cds);
        assertThat(afterSecond).hasSize(1).allMatch(n -> n.matches("daemon-\\d+\\.jsa"));
        Path archive = cds.resolve(afterSecond.getFirst());
        assertThat(validates(archive)).as("the published archive maps with -Xshare:on").isTrue();
        long size = Files.size(archive);

        logs.addAll(round(3, DAEMONS));
        assertThat(files(cds)).containsExactlyElementsOf(afterSecond);
        assertThat(Files.size(archive)).as("a published archive is never rewritten").isEqualTo(size);

        Path garbage = cds.resolve("garbage.tmp");
        Files.write(garbage, new byte[100_000]);
        Files.move(garbage, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        logs.addAll(round(4, 1));

        for (Path log : logs) {
            assertThat(Files.readString(log)).as(log.toString()).doesNotContain("[cds]").doesNotContain("[aot]");
        }
    }

    /** Starts {@code n} daemons at once, waits until each serves its control socket, then stops them all at once. */
    private List<Path> round(int round, int n) throws IOException, InterruptedException {
        List<Process> processes = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Path dataDir = Files.createDirectories(work.resolve("r" + round + "-" + i));
                Path log = work.resolve("r" + round + "-" + i + ".log");
                ProcessBuilder pb = new ProcessBuilder(OmnipeerExtension.repoRoot().resolve("omnipeer").toString(), "daemon",
                        "--data-dir", dataDir.toString(), "--listen", "/ip4/127.0.0.1/tcp/0", "--no-mdns")
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().put("XDG_CACHE_HOME", work.resolve("cache").toString());
                pb.environment().remove("OMNIPEER_CDS");
                processes.add(pb.start());
                logs.add(log);
            }
            for (Path log : logs) {
                await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200))
                        .until(() -> Files.readString(log).contains("control socket listening"));
            }
        } finally {
            processes.forEach(Process::destroy);
            for (Process p : processes) {
                if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                }
            }
        }
        return logs;
    }

    private static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static boolean validates(Path archive) throws IOException, InterruptedException {
        Path jar = OmnipeerExtension.repoRoot().resolve("native-host/target/native-host-0.1.0-SNAPSHOT.jar");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive, "-cp", jar.toString(), "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
