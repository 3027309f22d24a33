package io.omnipeer.rcmgr;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnipeer.store.Database;
import io.omnipeer.store.SettingsStore;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's resource manager as the user left it: limits from {@code <data-dir>/limits.json} ({@link LimitsFile}),
 * global bandwidth limits and the alt-speed schedule from the settings table, saved back there whenever they
 * change. Invalid stored values are reported and replaced by the defaults, so a bad file never stops the node.
 */
public final class ResourceSettings {
    /** Settings key of the alt-speed schedule (JSON, see {@link BandwidthSchedule}; {@code off} when none). */
    public static final String ALT_SCHEDULE = "bandwidth.alt.schedule";
    private static final String OFF = "off";
    private static final Logger log = LoggerFactory.getLogger(ResourceSettings.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private ResourceSettings() {
    }

    /** Loads the limits and settings into a new {@link ResourceManager} that saves later changes to {@code db}. */
    public static ResourceManager load(Path dataDir, Database db) {
        ResourceManager resources = new ResourceManager();
        Path limits = dataDir.resolve(LimitsFile.NAME);
        try {
            LimitsFile.loadOrCreate(limits, resources);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("resource limits: keeping the defaults, {}: {}", limits, e.getMessage());
        }
        SettingsStore settings = new SettingsStore(db);
        resources.setGlobalBandwidth(storedKiBps(settings, SettingsStore.BANDWIDTH_IN_KIBPS),
                storedKiBps(settings, SettingsStore.BANDWIDTH_OUT_KIBPS));
        settings.get(ALT_SCHEDULE).filter(v -> !v.equals(OFF)).ifPresent(v -> {
            try {
                resources.setBandwidthSchedule(BandwidthSchedule.fromJson(JSON.readTree(v)));
            } catch (IOException | IllegalArgumentException e) {
                log.warn("ignoring stored setting {}: {}", ALT_SCHEDULE, e.getMessage());
            }
        });
        resources.addGlobalBandwidthListener(r -> settings.put(
                SettingsStore.BANDWIDTH_IN_KIBPS, Long.toString(r.globalInKiBps()),
                SettingsStore.BANDWIDTH_OUT_KIBPS, Long.toString(r.globalOutKiBps()),
                ALT_SCHEDULE, r.bandwidthSchedule() == null ? OFF : r.bandwidthSchedule().toJson().toString()));
        return resources;
    }

    private static long storedKiBps(SettingsStore settings, String key) {
        long v = settings.getLong(key, 0);
        if (v < 0 || v > ResourceManager.MAX_KIBPS) {
            log.warn("ignoring stored setting {}={} (not 0..{})", key, v, ResourceManager.MAX_KIBPS);
            return 0;
        }
        return v;
    }
}
