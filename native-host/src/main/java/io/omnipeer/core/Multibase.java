package io.omnipeer.core;

/**
 * The two multibase encodings libp2p peer IDs use: 'z' (base58btc) and 'b' (RFC 4648 base32,
 * lower case, no padding). Spec: multiformats/multibase README, multibase.csv. Thread-safe.
 */
public final class Multibase {
    public static final char BASE58_BTC = 'z';
    public static final char BASE32_LOWER = 'b';
    /** Bound on text accepted by {@link #decode(String)}, far above any peer ID or CID. */
    public static final int MAX_DECODE_CHARS = 8192;

    private static final String BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

    private Multibase() {
    }

    /** Encodes {@code data} with the prefix character {@code base} ('z' or 'b'). */
    public static String encode(char base, byte[] data) {
        return switch (base) {
            case BASE58_BTC -> BASE58_BTC + Base58.encode(data);
            case BASE32_LOWER -> BASE32_LOWER + base32(data);
            default -> throw new IllegalArgumentException("unsupported multibase '" + base + "'");
        };
    }

    /**
     * Decodes multibase text.
     * @throws DecodingException on an empty string, an unsupported prefix, invalid characters or oversized input
     */
    public static byte[] decode(String text) {
        if (text.isEmpty()) {
            throw new DecodingException("empty multibase string");
        }
        if (text.length() > MAX_DECODE_CHARS) {
            throw new DecodingException("multibase input longer than " + MAX_DECODE_CHARS + " characters");
        }
        String body = text.substring(1);
        return switch (text.charAt(0)) {
            case BASE58_BTC -> Base58.decode(body);
            case BASE32_LOWER -> unbase32(body);
            default -> throw new DecodingException("unsupported multibase prefix '" + text.charAt(0) + "'");
        };
    }

    private static String base32(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xFF);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32_ALPHABET.charAt((buffer >>> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    private static byte[] unbase32(String s) {
        byte[] out = new byte[s.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            int v = BASE32_ALPHABET.indexOf(s.charAt(i));
            if (v < 0) {
                throw new DecodingException("invalid base32 character '" + s.charAt(i) + "' at " + i);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        if (bits >= 5 || (buffer & ((1 << bits) - 1)) != 0) {
            throw new DecodingException("invalid base32 length or non-zero padding bits");
        }
        return out;
    }
}
