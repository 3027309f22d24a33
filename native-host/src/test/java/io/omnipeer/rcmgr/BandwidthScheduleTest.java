package io.omnipeer.rcmgr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Alt-speed windows: same-day, past midnight, days; the manager switches the global buckets with them. */
class BandwidthScheduleTest {
    // 2026-11-20 is a Friday
    private static LocalDateTime friday(int hour, int minute) {
        return LocalDateTime.of(2026, 11, 20, hour, minute);
    }

    @Test
    void aDaytimeWindowOnWeekdays() {
        BandwidthSchedule s = new BandwidthSchedule(LocalTime.of(9, 0), LocalTime.of(17, 30),
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), 100, 50);
        assertThat(s.activeAt(friday(8, 59))).isFalse();
        assertThat(s.activeAt(friday(9, 0))).isTrue();
        assertThat(s.activeAt(friday(17, 29))).isTrue();
        assertThat(s.activeAt(friday(17, 30))).isFalse();
        assertThat(s.activeAt(friday(12, 0).plusDays(1))).as("Saturday").isFalse();
    }

    @Test
    void aWindowPastMidnightBelongsToTheDayItStarts() {
        BandwidthSchedule s = new BandwidthSchedule(LocalTime.of(22, 0), LocalTime.of(7, 0), Set.of(DayOfWeek.FRIDAY), 0, 10);
        assertThat(s.activeAt(friday(21, 59))).isFalse();
        assertThat(s.activeAt(friday(23, 0))).isTrue();
        assertThat(s.activeAt(friday(6, 0).plusDays(1))).as("Saturday 06:00").isTrue();
        assertThat(s.activeAt(friday(7, 0).plusDays(1))).as("Saturday 07:00").isFalse();
        assertThat(s.activeAt(friday(6, 0))).as("Friday 06:00 is Thursday's window").isFalse();
    }

    @Test
    void invalidSchedulesAreRefused() {
        assertThatThrownBy(() -> new BandwidthSchedule(LocalTime.NOON, LocalTime.NOON, Set.of(DayOfWeek.MONDAY), 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BandwidthSchedule(LocalTime.NOON, LocalTime.MIDNIGHT, Set.of(), 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BandwidthSchedule(LocalTime.NOON, LocalTime.MIDNIGHT, Set.of(DayOfWeek.MONDAY), -1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theManagerUsesTheAlternativeLimitsInsideTheWindowOnly() {
        ResourceManager resources = new ResourceManager();
        resources.setGlobalBandwidth(1000, 2000);
        resources.setBandwidthSchedule(new BandwidthSchedule(LocalTime.of(9, 0), LocalTime.of(17, 0),
                Set.of(DayOfWeek.FRIDAY), 10, 0));
        resources.applySchedule(friday(12, 0));
        assertThat(resources.altBandwidthActive()).isTrue();
        assertThat(resources.usage(ResourceManager.SYSTEM_APP_ID).limits().bandwidthInKiBps()).isEqualTo(10);
        assertThat(resources.usage(ResourceManager.SYSTEM_APP_ID).limits().bandwidthOutKiBps()).isZero();
        assertThat(resources.globalInKiBps()).as("the user's normal setting is kept").isEqualTo(1000);
        resources.applySchedule(friday(18, 0));
        assertThat(resources.altBandwidthActive()).isFalse();
        assertThat(resources.usage(ResourceManager.SYSTEM_APP_ID).limits().bandwidthInKiBps()).isEqualTo(1000);
        resources.applySchedule(friday(12, 0));
        resources.setBandwidthSchedule(null);
        assertThat(resources.altBandwidthActive()).isFalse();
        assertThat(resources.usage(ResourceManager.SYSTEM_APP_ID).limits().bandwidthOutKiBps()).isEqualTo(2000);
    }
}
