package io.omnipeer.rcmgr;

/**
 * Live usage of one app (or of the system's own traffic, id {@code system}). A snapshot; immutable.
 *
 * @param appId        the app id
 * @param inBps        bytes/s received on its streams over the last 2 s ({@link RateMeter})
 * @param outBps       bytes/s sent on its streams over the last 2 s
 * @param bytesIn      bytes received since the daemon started
 * @param bytesOut     bytes sent since the daemon started
 * @param streams      streams open now
 * @param connections  connections it has streams on now
 * @param storageBytes bytes stored (as reported through {@link ResourceManager#reserveStorage})
 * @param limits       its limits
 */
public record AppUsage(String appId, double inBps, double outBps, long bytesIn, long bytesOut, int streams,
                       int connections, long storageBytes, AppLimits limits) {
}
