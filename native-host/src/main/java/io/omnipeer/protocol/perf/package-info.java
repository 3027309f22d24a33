/**
 * libp2p perf, {@code /perf/1.0.0}: a client-driven throughput benchmark over one stream (upload N bytes, then
 * download M bytes). Spec: libp2p/specs perf/perf.md. Not enabled by a node by default (the spec's "Security
 * Considerations": it lets a client ask for unbounded work); benchmarks and tests register {@link
 * io.omnipeer.protocol.perf.PerfService} on a host explicitly.
 */
package io.omnipeer.protocol.perf;
