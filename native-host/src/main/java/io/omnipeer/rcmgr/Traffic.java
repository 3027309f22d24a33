package io.omnipeer.rcmgr;

/**
 * Bandwidth state of one app (or of system traffic): token buckets that throttle it and meters that measure it.
 * Thread-safe.
 */
final class Traffic {
    final TokenBucket inBucket = new TokenBucket();
    final TokenBucket outBucket = new TokenBucket();
    final RateMeter in = new RateMeter(System::nanoTime);
    final RateMeter out = new RateMeter(System::nanoTime);

    void setRates(long inBytesPerSecond, long outBytesPerSecond) {
        inBucket.setRate(inBytesPerSecond);
        outBucket.setRate(outBytesPerSecond);
    }
}
