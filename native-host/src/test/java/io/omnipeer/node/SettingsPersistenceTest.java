package io.omnipeer.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.omnipeer.core.Multiaddr;
import io.omnipeer.rcmgr.BandwidthSchedule;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.EnumSet;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's global bandwidth limits and alt-speed schedule survive a restart (settings table in omnipeer.db). */
class SettingsPersistenceTest {
    @TempDir
    Path dir;

    private OverlayNode start() throws Exception {
        return OverlayNode.start(new NodeConfig(dir, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0")), List.of(),
                false, null, null));
    }

    @Test
    void globalBandwidthLimitsAreSavedAndLoaded() throws Exception {
        OverlayNode first = start();
        assertThat(first.resources().globalInKiBps()).isZero();
        first.resources().setGlobalBandwidth(300, 700);
        BandwidthSchedule night = new BandwidthSchedule(LocalTime.of(22, 0), LocalTime.of(7, 0),
                EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), 50, 0);
        first.resources().setBandwidthSchedule(night);
        first.close().get(10, TimeUnit.SECONDS);

        OverlayNode second = start();
        try {
            assertThat(second.resources().globalInKiBps()).isEqualTo(300);
            assertThat(second.resources().globalOutKiBps()).isEqualTo(700);
            assertThat(second.resources().bandwidthSchedule()).isEqualTo(night);
        } finally {
            second.close().get(10, TimeUnit.SECONDS);
        }
    }
}
