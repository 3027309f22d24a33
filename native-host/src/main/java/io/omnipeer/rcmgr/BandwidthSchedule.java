package io.omnipeer.rcmgr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DayOfWeek;
import java.time.format.DateTimeParseException;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Alternative global bandwidth limits in force during a daily window, as Transmission's "alt-speed" schedule:
 * from {@code start} to {@code end} local time on {@code days}. A window whose end is not after its start runs
 * past midnight, and belongs to the day it starts on (22:00-07:00 on Friday ends Saturday 07:00). As JSON (control
 * protocol {@code settings.altSchedule}, settings table): {@code {start:"HH:MM", end:"HH:MM", days:[1..7] (ISO,
 * 1 = Monday), bandwidthInKiBps, bandwidthOutKiBps}}. Immutable.
 *
 * @param start    when the alternative limits begin (local time)
 * @param end      when they end
 * @param days     days whose window applies; never empty
 * @param inKiBps  global inbound limit during the window, KiB/s, 0 = unlimited
 * @param outKiBps global outbound limit during the window, KiB/s, 0 = unlimited
 */
public record BandwidthSchedule(LocalTime start, LocalTime end, Set<DayOfWeek> days, long inKiBps, long outKiBps) {
    public BandwidthSchedule {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (days == null || days.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one day");
        }
        days = Set.copyOf(EnumSet.copyOf(days));
        if (start.equals(end)) {
            throw new IllegalArgumentException("a schedule's start and end must differ");
        }
        if (inKiBps < 0 || outKiBps < 0 || inKiBps > ResourceManager.MAX_KIBPS || outKiBps > ResourceManager.MAX_KIBPS) {
            throw new IllegalArgumentException("bandwidth must be 0 (unlimited) to " + ResourceManager.MAX_KIBPS + " KiB/s");
        }
    }

    /** True when {@code now} (local time) falls in a window of this schedule. */
    public boolean activeAt(LocalDateTime now) {
        LocalTime t = now.toLocalTime();
        DayOfWeek today = now.getDayOfWeek();
        if (start.isBefore(end)) {
            return days.contains(today) && !t.isBefore(start) && t.isBefore(end);
        }
        // past midnight: the evening part belongs to today, the morning part to yesterday's window
        return (days.contains(today) && !t.isBefore(start)) || (days.contains(today.minus(1)) && t.isBefore(end));
    }

    /** This schedule as JSON (see the class comment). */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("start", start.toString()).put("end", end.toString());
        days.stream().sorted().forEach(d -> o.withArray("days").add(d.getValue()));
        return o.put("bandwidthInKiBps", inKiBps).put("bandwidthOutKiBps", outKiBps);
    }

    /**
     * Reads the JSON form (see the class comment).
     * @throws IllegalArgumentException for a missing or malformed field, an unknown field, or invalid values
     */
    public static BandwidthSchedule fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("a schedule must be an object");
        }
        o.fieldNames().forEachRemaining(f -> {
            if (!Set.of("start", "end", "days", "bandwidthInKiBps", "bandwidthOutKiBps").contains(f)) {
                throw new IllegalArgumentException("unknown schedule field " + f);
            }
        });
        JsonNode days = o.get("days");
        if (days == null || !days.isArray() || days.isEmpty() || days.size() > 7) {
            throw new IllegalArgumentException("schedule days must be an array of 1..7 ISO day numbers (1 = Monday)");
        }
        Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
        for (JsonNode d : days) {
            if (!d.canConvertToExactIntegral() || d.asInt() < 1 || d.asInt() > 7) {
                throw new IllegalArgumentException("schedule days must be 1 (Monday) to 7 (Sunday)");
            }
            set.add(DayOfWeek.of(d.asInt()));
        }
        return new BandwidthSchedule(time(o, "start"), time(o, "end"), set, kibps(o, "bandwidthInKiBps"), kibps(o, "bandwidthOutKiBps"));
    }

    private static LocalTime time(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual() || !v.textValue().matches("\\d\\d:\\d\\d")) {
            throw new IllegalArgumentException("schedule " + field + " must be \"HH:MM\"");
        }
        try {
            return LocalTime.parse(v.textValue());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("schedule " + field + " must be \"HH:MM\"");
        }
    }

    private static long kibps(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.canConvertToExactIntegral()) {
            throw new IllegalArgumentException("schedule " + field + " must be an integer (KiB/s, 0 = unlimited)");
        }
        return v.asLong();
    }
}
