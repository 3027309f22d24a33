/**
 * The resource manager, in the spirit of go-libp2p's {@code p2p/host/resource-manager}: every connection and stream
 * is accounted in a DAG of scopes (system, app, peer, protocol, connection, stream), each with limits on
 * inbound/outbound connections and streams, buffered memory and storage bytes; a reservation that would pass a
 * limit fails with {@link io.omnipeer.rcmgr.ResourceLimitException} and changes nothing. Bandwidth is throttled
 * per app and globally with token buckets: inbound by not reading (yamux flow control then stops the sender),
 * outbound by pacing writes; data is never dropped.
 *
 * <p>A stream belongs to app {@code X} when its protocol id starts with {@code /omnipeer/app/X/}; every other
 * stream is system traffic. Entry point: {@link io.omnipeer.rcmgr.ResourceManager}.
 */
package io.omnipeer.rcmgr;
