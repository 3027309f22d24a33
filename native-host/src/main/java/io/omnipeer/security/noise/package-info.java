/**
 * libp2p Noise ({@code /noise}): Noise_XX_25519_ChaChaPoly_SHA256 with signed identity payloads.
 * Pure state machines ({@link io.omnipeer.security.noise.CipherState}, {@link io.omnipeer.security.noise.SymmetricState},
 * {@link io.omnipeer.security.noise.NoiseHandshake}, {@link io.omnipeer.security.noise.Libp2pNoiseHandshake},
 * {@link io.omnipeer.security.noise.NoiseSession}) are apart from the Netty
 * {@link io.omnipeer.security.noise.NoiseHandler}. JDK crypto only (XDH, ChaCha20-Poly1305, HmacSHA256).
 * Specs: libp2p/specs noise/README.md; the Noise Protocol Framework, revision 34.
 */
package io.omnipeer.security.noise;
