package io.omnipeer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Locale;

/**
 * {@code omnipeer apps usage [ID]}: live bandwidth (KiB/s over the last 2 s), totals, open streams and
 * connections, stored bytes and limits per app, then the system's own traffic.
 */
@Command(name = "usage", description = "Bandwidth, streams and storage per app (KiB/s over the last 2 s).")
final class AppsUsageCommand extends ControlCommand {
    private static final String FORMAT = "%-32s %10s %10s %10s %10s %7s %5s %10s  %s%n";

    @Parameters(arity = "0..1", paramLabel = "ID", description = "only this app")
    String id;

    @Override
    int run(ControlClient client) {
        ObjectNode params = params();
        if (id != null) {
            params.put("id", id);
        }
        JsonNode result = client.call(Methods.APPS_USAGE, params);
        out().printf(Locale.ROOT, FORMAT, "APP", "IN KiB/s", "OUT KiB/s", "IN", "OUT", "STREAMS", "CONNS", "STORAGE", "LIMITS");
        for (JsonNode app : result.path("apps")) {
            row(app);
        }
        if (id == null) {
            row(result.path("system"));
        }
        return 0;
    }

    private void row(JsonNode u) {
        JsonNode l = u.path("limits");
        String limits = "in " + kibps(l.path("bandwidthInKiBps").asLong()) + ", out " + kibps(l.path("bandwidthOutKiBps").asLong())
                + (u.path("id").asText().equals("system") ? " (global)" : ", storage " + cap(l.path("storageBytes").asLong())
                + ", connections " + (l.path("connections").asLong() == 0 ? "unlimited" : l.path("connections").asText()));
        out().printf(Locale.ROOT, FORMAT, u.path("id").asText(), rate(u.path("inBps").asLong()), rate(u.path("outBps").asLong()),
                bytes(u.path("bytesIn").asLong()), bytes(u.path("bytesOut").asLong()), u.path("streams").asText(),
                u.path("connections").asText(), bytes(u.path("storageBytes").asLong()), limits);
    }

    private static String rate(long bytesPerSecond) {
        return String.format(Locale.ROOT, "%.1f", bytesPerSecond / 1024.0);
    }

    private static String kibps(long kibps) {
        return kibps == 0 ? "unlimited" : kibps + " KiB/s";
    }

    private static String cap(long bytes) {
        return bytes == 0 ? "unlimited" : bytes(bytes);
    }

    /** Bytes with a binary unit, e.g. {@code 3.0 MiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
