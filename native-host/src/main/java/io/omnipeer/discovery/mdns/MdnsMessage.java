package io.omnipeer.discovery.mdns;

import java.util.List;
import java.util.Locale;

/**
 * The parts of a DNS message (RFC 1035 section 4) that libp2p mDNS uses: questions, and the PTR and TXT
 * records of the answer and additional sections (other record types are skipped by the codec).
 *
 * @param response  the QR bit (true = response)
 * @param questions question section
 * @param records   PTR and TXT records from the answer, authority and additional sections, in wire order
 */
public record MdnsMessage(boolean response, List<Question> questions, List<Record> records) {

    public MdnsMessage {
        questions = List.copyOf(questions);
        records = List.copyOf(records);
    }

    /** DNS record type PTR (RFC 1035 section 3.2.2). */
    public static final int TYPE_PTR = 12;
    /** DNS record type TXT (RFC 1035 section 3.2.2). */
    public static final int TYPE_TXT = 16;

    /** @param name normalized with {@link #normalize} */
    public record Question(String name, int type) {
    }

    /**
     * @param name      owner name, normalized
     * @param type      {@link #TYPE_PTR} or {@link #TYPE_TXT}
     * @param ptrTarget the PTR's domain name, normalized ({@code null} for TXT)
     * @param txt       the TXT character-strings, UTF-8 decoded (empty for PTR)
     */
    public record Record(String name, int type, String ptrTarget, List<String> txt) {
        public Record {
            txt = List.copyOf(txt);
        }

        public static Record ptr(String name, String target) {
            return new Record(normalize(name), TYPE_PTR, normalize(target), List.of());
        }

        public static Record txt(String name, List<String> strings) {
            return new Record(normalize(name), TYPE_TXT, null, strings);
        }
    }

    /** Domain names compare case-insensitively and with or without the root's trailing dot (RFC 1035 section 2.3.3). */
    public static String normalize(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }
}
