package io.omnipeer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code omnipeer settings [--bandwidth-in KIBPS] [--bandwidth-out KIBPS] [--alt-time HH:MM-HH:MM --alt-in KIBPS
 * --alt-out KIBPS [--alt-days 1-5] | --no-alt]}: shows the daemon's settings, after changing the global bandwidth
 * limits or the alt-speed schedule if asked (KiB/s, 0 = unlimited; saved in the data dir).
 */
@Command(name = "settings", description = "Show or change the global bandwidth limits (KiB/s, 0 = unlimited) and the "
        + "alt-speed schedule; shows the data dir size.")
final class SettingsCommand extends ControlCommand {
    @Option(names = "--bandwidth-in", paramLabel = "KIBPS", description = "inbound limit for all traffic, KiB/s (0 = unlimited)")
    Long bandwidthIn;

    @Option(names = "--bandwidth-out", paramLabel = "KIBPS", description = "outbound limit for all traffic, KiB/s (0 = unlimited)")
    Long bandwidthOut;

    @Option(names = "--alt-time", paramLabel = "HH:MM-HH:MM", description = "alt-speed window, local time (may pass midnight)")
    String altTime;

    @Option(names = "--alt-days", paramLabel = "DAYS", description = "days of the window: 1-7 (1 = Monday), ranges and commas, e.g. 1-5 (default: every day)")
    String altDays = "1-7";

    @Option(names = "--alt-in", paramLabel = "KIBPS", description = "inbound limit during the window, KiB/s (0 = unlimited)")
    long altIn;

    @Option(names = "--alt-out", paramLabel = "KIBPS", description = "outbound limit during the window, KiB/s (0 = unlimited)")
    long altOut;

    @Option(names = "--no-alt", description = "remove the alt-speed schedule")
    boolean noAlt;

    @Override
    int run(ControlClient client) {
        ObjectNode settings = params();
        if (bandwidthIn != null) {
            settings.put("bandwidthInKiBps", bandwidthIn);
        }
        if (bandwidthOut != null) {
            settings.put("bandwidthOutKiBps", bandwidthOut);
        }
        if (noAlt) {
            settings.putNull("altSchedule");
        } else if (altTime != null) {
            settings.set("altSchedule", schedule());
        }
        JsonNode result;
        if (settings.isEmpty()) {
            result = client.call(Methods.SETTINGS_GET, params());
        } else {
            ObjectNode params = params();
            params.set("settings", settings);
            result = client.call(Methods.SETTINGS_SET, params);
        }
        JsonNode s = result.path("settings");
        out().println("bandwidth in:  " + kibps(s.path("bandwidthInKiBps").asLong()));
        out().println("bandwidth out: " + kibps(s.path("bandwidthOutKiBps").asLong()));
        JsonNode alt = s.path("altSchedule");
        out().println("alt-speed:     " + (alt.isObject() ? "in " + kibps(alt.path("bandwidthInKiBps").asLong()) + ", out "
                + kibps(alt.path("bandwidthOutKiBps").asLong()) + ", " + alt.path("start").asText() + "-"
                + alt.path("end").asText() + " " + days(alt.path("days")) + (s.path("altActive").asBoolean() ? " (active now)" : "")
                : "off"));
        out().println("data dir:      " + s.path("dataDir").asText() + " (" + AppsUsageCommand.bytes(s.path("dataDirBytes").asLong()) + ")");
        return 0;
    }

    private ObjectNode schedule() {
        String[] times = altTime.split("-", -1);
        if (times.length != 2) {
            throw new IllegalArgumentException("--alt-time must be HH:MM-HH:MM, e.g. 22:00-07:00");
        }
        ObjectNode o = JsonRpcCodec.mapper().createObjectNode().put("start", times[0].trim()).put("end", times[1].trim());
        parseDays(altDays).forEach(o.putArray("days")::add);
        return o.put("bandwidthInKiBps", altIn).put("bandwidthOutKiBps", altOut);
    }

    /** {@code 1-5}, {@code 6,7}, {@code 1-3,5} → ISO day numbers. */
    static List<Integer> parseDays(String spec) {
        List<Integer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String[] range = part.trim().split("-", -1);
            try {
                int from = Integer.parseInt(range[0].trim());
                int to = range.length == 2 ? Integer.parseInt(range[1].trim()) : from;
                if (range.length > 2 || from < 1 || to > 7 || from > to) {
                    throw new NumberFormatException();
                }
                for (int d = from; d <= to; d++) {
                    if (!out.contains(d)) {
                        out.add(d);
                    }
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--alt-days takes days 1-7 (1 = Monday) as ranges and commas, e.g. 1-5 or 6,7");
            }
        }
        return out;
    }

    private static String days(JsonNode days) {
        List<String> names = new ArrayList<>();
        days.forEach(d -> names.add(DayOfWeek.of(d.asInt()).getDisplayName(TextStyle.SHORT, Locale.ENGLISH)));
        return String.join(",", names);
    }

    private static String kibps(long kibps) {
        return kibps == 0 ? "unlimited" : kibps + " KiB/s";
    }
}
