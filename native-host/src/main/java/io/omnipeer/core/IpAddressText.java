package io.omnipeer.core;

/**
 * Literal IP address text <-> bytes without any name lookup (java.net.InetAddress may resolve names).
 * IPv6 text output follows RFC 5952 (lower case, longest zero run compressed), IPv4-mapped addresses print as
 * {@code ::ffff:a.b.c.d} like go-multiaddr. Package-private helper of {@link Multiaddr}.
 */
final class IpAddressText {
    private IpAddressText() {
    }

    static byte[] parseIp4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new DecodingException("invalid ip4 address '" + s + "'");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new DecodingException("invalid ip4 address '" + s + "'");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new DecodingException("invalid ip4 address '" + s + "'");
            }
            out[i] = (byte) v;
        }
        return out;
    }

    static String formatIp4(byte[] b, int off) {
        return (b[off] & 0xFF) + "." + (b[off + 1] & 0xFF) + "." + (b[off + 2] & 0xFF) + "." + (b[off + 3] & 0xFF);
    }

    static byte[] parseIp6(String s) {
        if (s.length() > 45) {
            throw new DecodingException("invalid ip6 address '" + s + "'");
        }
        int dc = s.indexOf("::");
        if (dc >= 0 && s.indexOf("::", dc + 1) >= 0) {
            throw new DecodingException("invalid ip6 address '" + s + "': more than one '::'");
        }
        int[] head = dc >= 0 ? groups(s.substring(0, dc), s) : groups(s, s);
        int[] tail = dc >= 0 ? groups(s.substring(dc + 2), s) : new int[0];
        int total = head.length + tail.length;
        if ((dc < 0 && total != 8) || (dc >= 0 && total > 7)) {
            throw new DecodingException("invalid ip6 address '" + s + "'");
        }
        int[] all = new int[8];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = (byte) (all[i] >> 8);
            out[2 * i + 1] = (byte) all[i];
        }
        return out;
    }

    /** Parses colon-separated hex groups; a trailing dotted IPv4 counts as two groups. */
    private static int[] groups(String part, String whole) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] items = part.split(":", -1);
        int n = items.length;
        boolean v4 = items[n - 1].contains(".");
        int[] out = new int[v4 ? n + 1 : n];
        for (int i = 0; i < n; i++) {
            String g = items[i];
            if (v4 && i == n - 1) {
                byte[] b = parseIp4(g);
                out[i] = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
                out[i + 1] = ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
                continue;
            }
            if (g.isEmpty() || g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new DecodingException("invalid ip6 address '" + whole + "'");
            }
            out[i] = Integer.parseInt(g, 16);
        }
        return out;
    }

    static String formatIp6(byte[] b) {
        boolean mapped = true;
        for (int i = 0; i < 10; i++) {
            mapped &= b[i] == 0;
        }
        if (mapped && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF) {
            return "::ffff:" + formatIp4(b, 12);
        }
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xFF) << 8) | (b[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
