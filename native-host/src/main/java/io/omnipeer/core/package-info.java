/**
 * The concepts every layer shares and that depend on nothing else in Omnipeer: peer identity ({@link
 * io.omnipeer.core.PeerId}), addresses ({@link io.omnipeer.core.Multiaddr}), and the multiformats codecs they are
 * built from ({@link io.omnipeer.core.Varint}, {@link io.omnipeer.core.Multihash}, {@link io.omnipeer.core.Base58},
 * {@link io.omnipeer.core.Multibase}). Decoders are bounded and throw {@link io.omnipeer.core.DecodingException}.
 * Specs: libp2p/specs peer-ids/peer-ids.md; multiformats unsigned-varint, multihash, multibase, multiaddr.
 */
package io.omnipeer.core;
