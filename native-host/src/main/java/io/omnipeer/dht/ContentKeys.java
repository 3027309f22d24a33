package io.omnipeer.dht;

import io.omnipeer.core.Base58;
import io.omnipeer.core.DecodingException;
import io.omnipeer.core.Multibase;
import io.omnipeer.core.Multihash;
import io.omnipeer.core.Varint;
import java.util.Arrays;

/**
 * Provider keys as people write them: a multihash in base58btc ({@code Qm...}) or a CIDv1 in multibase
 * ({@code bafy...}, {@code z...}). The DHT key is the multihash (kad-dht/README.md, "Content provider advertisement
 * and discovery": "the keys for provider records are multihashes"). Stateless.
 */
public final class ContentKeys {
    /** Longest text accepted. */
    public static final int MAX_TEXT_LENGTH = 256;
    private static final int CID_V1 = 1;

    private ContentKeys() {
    }

    /**
     * The multihash bytes named by {@code text}.
     * @throws IllegalArgumentException if it is neither a base58 multihash nor a CIDv1
     */
    public static byte[] parse(String text) {
        if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("content key must be 1.." + MAX_TEXT_LENGTH + " characters");
        }
        try {
            if (text.startsWith("Qm") || text.startsWith("1")) {
                byte[] mh = Base58.decode(text);
                Multihash.decode(mh);
                return mh;
            }
            byte[] cid = Multibase.decode(text);
            int[] off = {0};
            if (Varint.decode(cid, off) != CID_V1) {
                throw new IllegalArgumentException("not a CIDv1: " + text);
            }
            Varint.decode(cid, off); // content codec: irrelevant for the DHT key
            byte[] mh = Arrays.copyOfRange(cid, off[0], cid.length);
            Multihash.decode(mh);
            return mh;
        } catch (DecodingException e) {
            throw new IllegalArgumentException("not a multihash or CID: " + e.getMessage(), e);
        }
    }

    /** The base58btc text of a multihash key. */
    public static String format(byte[] multihash) {
        return Base58.encode(multihash);
    }
}
