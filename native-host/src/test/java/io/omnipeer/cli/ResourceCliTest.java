package io.omnipeer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnipeer.node.Node;
import io.omnipeer.rcmgr.AppLimits;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code omnipeer apps usage} and {@code omnipeer settings} against a daemon on a real control socket. */
class ResourceCliTest {
    @TempDir
    Path dataDir;
    private CliDaemon daemon;
    private Node node;

    @BeforeEach
    void start() throws Exception {
        daemon = CliDaemon.start(dataDir);
        node = daemon.node();
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    private CliRun run(String... args) {
        return daemon.run(args);
    }

    @Test
    void appsUsageShowsEachAppThenTheSystem() {
        node.resources().setAppLimits("org.example.chat", new AppLimits(512, 0, 10 << 20, 0));
        node.resources().reserveStorage("org.example.chat", 3 << 20);
        CliRun all = run("apps", "usage");
        assertThat(all.exit()).isZero();
        String[] lines = all.out().split("\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).startsWith("APP").contains("IN KiB/s").contains("STORAGE");
        assertThat(lines[1]).startsWith("org.example.chat").contains("3.0 MiB")
                .contains("in 512 KiB/s, out unlimited, storage 10.0 MiB, connections unlimited");
        assertThat(lines[2]).startsWith("system").contains("in unlimited, out unlimited (global)");

        CliRun one = run("apps", "usage", "org.example.chat");
        assertThat(one.out().split("\n")).hasSize(2);
    }

    @Test
    void settingsShowsAndChangesTheGlobalBandwidthLimits() {
        CliRun show = run("settings");
        assertThat(show.exit()).isZero();
        assertThat(show.out()).contains("bandwidth in:  unlimited").contains("bandwidth out: unlimited")
                .contains("data dir:      " + dataDir);

        CliRun set = run("settings", "--bandwidth-in", "1024", "--bandwidth-out", "256");
        assertThat(set.exit()).isZero();
        assertThat(set.out()).contains("bandwidth in:  1024 KiB/s").contains("bandwidth out: 256 KiB/s");
        assertThat(node.resources().globalOutKiBps()).isEqualTo(256);

        CliRun alt = run("settings", "--alt-time", "22:00-07:00", "--alt-days", "1-5", "--alt-in", "100", "--alt-out", "0");
        assertThat(alt.exit()).as(alt.err()).isZero();
        assertThat(alt.out()).contains("alt-speed:     in 100 KiB/s, out unlimited, 22:00-07:00 Mon,Tue,Wed,Thu,Fri");
        assertThat(node.resources().bandwidthSchedule().days()).hasSize(5);
        assertThat(run("settings", "--no-alt").out()).contains("alt-speed:     off");
        assertThat(run("settings", "--alt-time", "22:00", "--alt-in", "1").exit()).isEqualTo(1);
        assertThat(SettingsCommand.parseDays("1-3,5,6-7")).containsExactly(1, 2, 3, 5, 6, 7);

        CliRun bad = run("settings", "--bandwidth-in", "-5");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).contains("(error -32602)");
    }
}
