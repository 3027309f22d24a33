package io.omnipeer.security.noise;

import io.omnipeer.core.PeerId;
import io.omnipeer.core.crypto.PublicKey;

/**
 * Netty user event fired by {@link NoiseHandler} once the Noise handshake has authenticated the remote peer;
 * from then on the pipeline after the handler carries plaintext.
 *
 * @param remotePeer the authenticated remote peer ID (derived from {@code remoteKey})
 * @param remoteKey  the remote identity key from its handshake payload
 */
public record SecureChannelEstablished(PeerId remotePeer, PublicKey remoteKey) {
}
