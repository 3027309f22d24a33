package io.omnipeer.rcmgr;

/**
 * What an app may use, from its manifest's {@code resources} (API.md, "apps platform"). 0 means unlimited in
 * every field. Immutable.
 *
 * @param bandwidthInKiBps  bytes/s it may receive on its streams, in KiB/s (1 KiB = 1024 bytes)
 * @param bandwidthOutKiBps bytes/s it may send on its streams, in KiB/s
 * @param storageBytes      bytes it may keep in its storage
 * @param connections       connections it may have streams on at once
 */
public record AppLimits(long bandwidthInKiBps, long bandwidthOutKiBps, long storageBytes, int connections) {
    /** No limit. */
    public static final AppLimits UNLIMITED = new AppLimits(0, 0, 0, 0);

    public AppLimits {
        if (bandwidthInKiBps < 0 || bandwidthOutKiBps < 0 || storageBytes < 0 || connections < 0) {
            throw new IllegalArgumentException("app limits must not be negative");
        }
        if (bandwidthInKiBps > ResourceManager.MAX_KIBPS || bandwidthOutKiBps > ResourceManager.MAX_KIBPS) {
            throw new IllegalArgumentException("bandwidth above " + ResourceManager.MAX_KIBPS + " KiB/s");
        }
    }
}
