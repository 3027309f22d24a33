package io.omnipeer.core;

import java.nio.charset.StandardCharsets;

/**
 * Text <-> bytes for the value of each multiaddr component kind.
 * Spec: multiformats/multiaddr protocols.csv and go-multiaddr transcoders. Package-private helper of {@link Multiaddr}.
 */
final class MultiaddrValues {
    /** DNS names are at most 255 octets (RFC 1035 section 2.3.4); applies to every text-valued component. */
    static final int MAX_TEXT_VALUE = 255;

    enum Kind { NONE, IP4, IP6, PORT, TEXT, PEER_ID }

    private MultiaddrValues() {
    }

    static byte[] toBytes(Kind kind, String name, String text) {
        return switch (kind) {
            case NONE -> new byte[0];
            case IP4 -> IpAddressText.parseIp4(text);
            case IP6 -> IpAddressText.parseIp6(text);
            case PORT -> {
                if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new DecodingException("invalid " + name + " port '" + text + "'");
                }
                int port = Integer.parseInt(text);
                if (port > 65535) {
                    throw new DecodingException("invalid " + name + " port '" + text + "'");
                }
                yield new byte[] {(byte) (port >> 8), (byte) port};
            }
            case TEXT -> {
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                checkText(name, b);
                yield b;
            }
            case PEER_ID -> PeerId.parse(text).bytes();
        };
    }

    static String toText(Kind kind, String name, byte[] b) {
        return switch (kind) {
            case NONE -> "";
            case IP4 -> IpAddressText.formatIp4(b, 0);
            case IP6 -> IpAddressText.formatIp6(b);
            case PORT -> Integer.toString(((b[0] & 0xFF) << 8) | (b[1] & 0xFF));
            case TEXT -> {
                checkText(name, b);
                yield new String(b, StandardCharsets.UTF_8);
            }
            case PEER_ID -> PeerId.fromBytes(b).toBase58();
        };
    }

    private static void checkText(String name, byte[] b) {
        if (b.length == 0 || b.length > MAX_TEXT_VALUE) {
            throw new DecodingException(name + " value must be 1.." + MAX_TEXT_VALUE + " bytes, got " + b.length);
        }
        for (byte x : b) {
            if (x == '/') {
                throw new DecodingException(name + " value must not contain '/'");
            }
        }
    }
}
