package io.omnipeer.sim;

/** Totals over a run: RPCs and bytes sent, RPCs a receiver could not parse. Simulation thread only. */
final class TrafficCounter {
    long rpcs;
    long bytes;
    long rejected;
}
