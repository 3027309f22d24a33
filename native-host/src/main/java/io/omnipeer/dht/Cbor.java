package io.omnipeer.dht;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough CBOR (RFC 8949) for the IPNS V2 {@code data} field: one map with text keys whose values are unsigned
 * integers, byte strings or text strings. Encoding follows DAG-CBOR canonical order (keys by length, then bytes).
 * Bounded: at most {@link #MAX_ENTRIES} entries; lengths are checked against the input. Stateless.
 */
final class Cbor {
    /** The IPNS data map has five entries; leave room for extensions. */
    static final int MAX_ENTRIES = 32;

    private Cbor() {
    }

    /**
     * Decodes a map of text keys to {@code Long} (unsigned ints), {@code byte[]} or {@code String} values.
     * @throws InvalidRecordException if the bytes are not such a map, are truncated or have trailing bytes
     */
    static Map<String, Object> decodeMap(byte[] in) throws InvalidRecordException {
        int[] pos = {0};
        int major = major(in, pos);
        if (major != 5) {
            throw new InvalidRecordException("CBOR: expected a map");
        }
        long entries = argument(in, pos);
        if (entries > MAX_ENTRIES) {
            throw new InvalidRecordException("CBOR: map of " + entries + " entries");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            if (major(in, pos) != 3) {
                throw new InvalidRecordException("CBOR: map key is not text");
            }
            String key = new String(bytes(in, pos, argument(in, pos)), StandardCharsets.UTF_8);
            int m = major(in, pos);
            long arg = argument(in, pos);
            Object value = switch (m) {
                case 0 -> arg;
                case 2 -> bytes(in, pos, arg);
                case 3 -> new String(bytes(in, pos, arg), StandardCharsets.UTF_8);
                default -> throw new InvalidRecordException("CBOR: unsupported value type " + m);
            };
            if (out.put(key, value) != null) {
                throw new InvalidRecordException("CBOR: duplicate key " + key);
            }
        }
        if (pos[0] != in.length) {
            throw new InvalidRecordException("CBOR: trailing bytes");
        }
        return out;
    }

    /** Encodes a map of text keys to {@code Long}, {@code byte[]} or {@code String}, in DAG-CBOR key order. */
    static byte[] encodeMap(Map<String, Object> map) {
        List<String> keys = new ArrayList<>(map.keySet());
        keys.sort((a, b) -> a.length() != b.length() ? Integer.compare(a.length(), b.length())
                : Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        head(out, 5, keys.size());
        for (String k : keys) {
            byte[] kb = k.getBytes(StandardCharsets.UTF_8);
            head(out, 3, kb.length);
            out.writeBytes(kb);
            Object v = map.get(k);
            if (v instanceof Long l) {
                head(out, 0, l);
            } else if (v instanceof byte[] b) {
                head(out, 2, b.length);
                out.writeBytes(b);
            } else if (v instanceof String s) {
                byte[] sb = s.getBytes(StandardCharsets.UTF_8);
                head(out, 3, sb.length);
                out.writeBytes(sb);
            } else {
                throw new IllegalArgumentException("unsupported CBOR value " + v);
            }
        }
        return out.toByteArray();
    }

    private static void head(ByteArrayOutputStream out, int major, long arg) {
        int m = major << 5;
        if (arg < 24) {
            out.write(m | (int) arg);
        } else if (arg < 0x100) {
            out.write(m | 24);
            out.write((int) arg);
        } else if (arg < 0x10000) {
            out.write(m | 25);
            out.write((int) (arg >>> 8));
            out.write((int) arg);
        } else if (arg < 0x100000000L) {
            out.write(m | 26);
            for (int s = 24; s >= 0; s -= 8) {
                out.write((int) (arg >>> s));
            }
        } else {
            out.write(m | 27);
            for (int s = 56; s >= 0; s -= 8) {
                out.write((int) (arg >>> s));
            }
        }
    }

    private static int major(byte[] in, int[] pos) throws InvalidRecordException {
        if (pos[0] >= in.length) {
            throw new InvalidRecordException("CBOR: truncated");
        }
        return (in[pos[0]] & 0xff) >>> 5;
    }

    private static long argument(byte[] in, int[] pos) throws InvalidRecordException {
        int info = in[pos[0]++] & 0x1f;
        if (info < 24) {
            return info;
        }
        int n = switch (info) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> throw new InvalidRecordException("CBOR: unsupported additional info " + info);
        };
        if (pos[0] + n > in.length) {
            throw new InvalidRecordException("CBOR: truncated");
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (in[pos[0]++] & 0xff);
        }
        if (v < 0) {
            throw new InvalidRecordException("CBOR: integer out of range");
        }
        return v;
    }

    private static byte[] bytes(byte[] in, int[] pos, long length) throws InvalidRecordException {
        if (length > in.length - pos[0]) {
            throw new InvalidRecordException("CBOR: string longer than the input");
        }
        byte[] b = Arrays.copyOfRange(in, pos[0], pos[0] + (int) length);
        pos[0] += (int) length;
        return b;
    }
}
