/**
 * libp2p identity keys: {@link io.omnipeer.core.crypto.PublicKey} / {@link io.omnipeer.core.crypto.PrivateKey} with
 * the libp2p key protobuf ({@code keys.proto}) and Ed25519 on the JDK's provider.
 * Spec: libp2p/specs peer-ids/peer-ids.md, "Keys".
 */
package io.omnipeer.core.crypto;
