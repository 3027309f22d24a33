package io.omnipeer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.control.ControlClient;
import io.omnipeer.protocol.control.Methods;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code omnipeer settings [--bandwidth-in KIBPS] [--bandwidth-out KIBPS]}: shows the daemon's settings, after
 * changing the global bandwidth limits if asked (KiB/s, 0 = unlimited; saved in the data dir).
 */
@Command(name = "settings", description = "Show or change the global bandwidth limits (KiB/s, 0 = unlimited); shows the data dir size.")
final class SettingsCommand extends ControlCommand {
    @Option(names = "--bandwidth-in", paramLabel = "KIBPS", description = "inbound limit for all traffic, KiB/s (0 = unlimited)")
    Long bandwidthIn;

    @Option(names = "--bandwidth-out", paramLabel = "KIBPS", description = "outbound limit for all traffic, KiB/s (0 = unlimited)")
    Long bandwidthOut;

    @Override
    int run(ControlClient client) {
        JsonNode result;
        if (bandwidthIn == null && bandwidthOut == null) {
            result = client.call(Methods.SETTINGS_GET, params());
        } else {
            ObjectNode settings = params();
            if (bandwidthIn != null) {
                settings.put("bandwidthInKiBps", bandwidthIn);
            }
            if (bandwidthOut != null) {
                settings.put("bandwidthOutKiBps", bandwidthOut);
            }
            ObjectNode params = params();
            params.set("settings", settings);
            result = client.call(Methods.SETTINGS_SET, params);
        }
        JsonNode s = result.path("settings");
        out().println("bandwidth in:  " + kibps(s.path("bandwidthInKiBps").asLong()));
        out().println("bandwidth out: " + kibps(s.path("bandwidthOutKiBps").asLong()));
        out().println("data dir:      " + s.path("dataDir").asText() + " (" + AppsUsageCommand.bytes(s.path("dataDirBytes").asLong()) + ")");
        return 0;
    }

    private static String kibps(long kibps) {
        return kibps == 0 ? "unlimited" : kibps + " KiB/s";
    }
}
