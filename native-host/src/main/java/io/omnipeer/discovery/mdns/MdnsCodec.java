package io.omnipeer.discovery.mdns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsPtrRecord;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecordEncoder;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.util.ReferenceCountUtil;
import io.omnipeer.core.DecodingException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes to and from {@link MdnsMessage}: DNS message format (RFC 1035 section 4.1) as used by mDNS
 * (RFC 6762 section 18: ID 0, responses with the AA bit). Names and records are encoded and decoded by
 * Netty's DNS codec ({@link DnsRecordEncoder#DEFAULT}, {@link DnsRecordDecoder#DEFAULT}, which follows
 * name-compression pointers); header, section counts and TXT character-strings are handled here.
 * Stateless and thread-safe.
 */
public final class MdnsCodec {

    /** RFC 6762 section 17: an mDNS message, headers included, must not exceed 9000 bytes. */
    public static final int MAX_PACKET_BYTES = 9000;
    /** Question + record count cap per packet; a libp2p response needs 1 PTR plus one TXT per address. */
    public static final int MAX_RECORDS_PER_PACKET = 64;
    /** RFC 6763 section 6.1: a TXT character-string holds at most 255 bytes. */
    public static final int MAX_TXT_STRING_BYTES = 255;
    /** RFC 1035 section 3.2.4: class IN. */
    private static final int CLASS_IN = 1;
    /** RFC 1035 section 4.1.1: header is 12 bytes. */
    private static final int HEADER_BYTES = 12;
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_AA = 0x0400;

    private MdnsCodec() {
    }

    /** A query (QR=0, ID 0) with the given PTR questions, class IN. */
    public static ByteBuf encodeQuery(ByteBufAllocator alloc, List<String> ptrQuestions) {
        ByteBuf out = alloc.buffer();
        try {
            writeHeader(out, 0, ptrQuestions.size(), 0, 0);
            for (String name : ptrQuestions) {
                DnsRecordEncoder.DEFAULT.encodeQuestion(new DefaultDnsQuestion(name, DnsRecordType.PTR), out);
            }
            return out;
        } catch (Exception e) {
            out.release();
            throw new IllegalArgumentException("cannot encode mDNS query: " + e.getMessage(), e);
        }
    }

    /**
     * A response (QR=1, AA=1, ID 0) with {@code answers} in the answer section and {@code additionals}
     * in the additional section (RFC 1035 section 4.1). Records must be PTR or TXT.
     *
     * @param ttlSeconds time to live of every record
     * @throws IllegalArgumentException if a TXT string exceeds {@link #MAX_TXT_STRING_BYTES} or the
     *                                  message would exceed {@link #MAX_PACKET_BYTES}
     */
    public static ByteBuf encodeResponse(ByteBufAllocator alloc, List<MdnsMessage.Record> answers,
                                         List<MdnsMessage.Record> additionals, long ttlSeconds) {
        ByteBuf out = alloc.buffer();
        try {
            writeHeader(out, FLAG_QR | FLAG_AA, 0, answers.size(), additionals.size());
            for (MdnsMessage.Record r : answers) {
                writeRecord(alloc, r, ttlSeconds, out);
            }
            for (MdnsMessage.Record r : additionals) {
                writeRecord(alloc, r, ttlSeconds, out);
            }
            if (out.readableBytes() > MAX_PACKET_BYTES) {
                throw new IllegalArgumentException("mDNS response of " + out.readableBytes() + " bytes exceeds "
                        + MAX_PACKET_BYTES);
            }
            return out;
        } catch (IllegalArgumentException e) {
            out.release();
            throw e;
        } catch (Exception e) {
            out.release();
            throw new IllegalArgumentException("cannot encode mDNS response: " + e.getMessage(), e);
        }
    }

    private static void writeHeader(ByteBuf out, int flags, int qd, int an, int ar) {
        out.writeShort(0);
        out.writeShort(flags);
        out.writeShort(qd);
        out.writeShort(an);
        out.writeShort(0);
        out.writeShort(ar);
    }

    private static void writeRecord(ByteBufAllocator alloc, MdnsMessage.Record r, long ttl, ByteBuf out)
            throws Exception {
        DnsRecord record;
        if (r.type() == MdnsMessage.TYPE_PTR) {
            record = new DefaultDnsPtrRecord(r.name() + ".", CLASS_IN, ttl, r.ptrTarget() + ".");
        } else if (r.type() == MdnsMessage.TYPE_TXT) {
            ByteBuf rdata = alloc.buffer();
            for (String s : r.txt()) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                if (b.length > MAX_TXT_STRING_BYTES) {
                    rdata.release();
                    throw new IllegalArgumentException("TXT string of " + b.length + " bytes exceeds "
                            + MAX_TXT_STRING_BYTES);
                }
                rdata.writeByte(b.length).writeBytes(b);
            }
            record = new DefaultDnsRawRecord(r.name() + ".", DnsRecordType.TXT, CLASS_IN, ttl, rdata);
        } else {
            throw new IllegalArgumentException("unsupported record type " + r.type());
        }
        try {
            DnsRecordEncoder.DEFAULT.encodeRecord(record, out);
        } finally {
            ReferenceCountUtil.release(record);
        }
    }

    /**
     * Decodes one datagram. Records other than PTR and TXT are skipped.
     *
     * @throws DecodingException if larger than {@link #MAX_PACKET_BYTES}, shorter than a header, with more
     *                           than {@link #MAX_RECORDS_PER_PACKET} entries, truncated, or with a bad name
     */
    public static MdnsMessage decode(ByteBuf in) {
        int size = in.readableBytes();
        if (size > MAX_PACKET_BYTES) {
            throw new DecodingException("mDNS packet of " + size + " bytes exceeds " + MAX_PACKET_BYTES);
        }
        if (size < HEADER_BYTES) {
            throw new DecodingException("mDNS packet of " + size + " bytes is shorter than a DNS header");
        }
        ByteBuf buf = in.duplicate();
        buf.skipBytes(2); // ID: ignored in mDNS (RFC 6762 section 18.1)
        boolean response = (buf.readUnsignedShort() & FLAG_QR) != 0;
        int qd = buf.readUnsignedShort();
        int an = buf.readUnsignedShort();
        int ns = buf.readUnsignedShort();
        int ar = buf.readUnsignedShort();
        if (qd + an + ns + ar > MAX_RECORDS_PER_PACKET) {
            throw new DecodingException("mDNS packet with " + (qd + an + ns + ar) + " entries exceeds "
                    + MAX_RECORDS_PER_PACKET);
        }
        List<MdnsMessage.Question> questions = new ArrayList<>(qd);
        List<MdnsMessage.Record> records = new ArrayList<>();
        try {
            for (int i = 0; i < qd; i++) {
                DnsQuestion q = DnsRecordDecoder.DEFAULT.decodeQuestion(buf);
                questions.add(new MdnsMessage.Question(MdnsMessage.normalize(q.name()), q.type().intValue()));
            }
            for (int i = 0; i < an + ns + ar; i++) {
                DnsRecord r = DnsRecordDecoder.DEFAULT.decodeRecord(buf);
                if (r == null) {
                    throw new DecodingException("mDNS packet truncated in record " + i);
                }
                try {
                    toRecord(r, records);
                } finally {
                    ReferenceCountUtil.release(r);
                }
            }
        } catch (DecodingException e) {
            throw e;
        } catch (Exception e) {
            throw new DecodingException("malformed mDNS packet: " + e);
        }
        return new MdnsMessage(response, questions, records);
    }

    private static void toRecord(DnsRecord r, List<MdnsMessage.Record> out) {
        if (r instanceof DnsPtrRecord ptr) {
            out.add(MdnsMessage.Record.ptr(ptr.name(), ptr.hostname()));
        } else if (r.type() == DnsRecordType.TXT && r instanceof DnsRawRecord raw) {
            out.add(MdnsMessage.Record.txt(raw.name(), characterStrings(raw.content())));
        }
    }

    /** RFC 1035 section 3.3.14: TXT-DATA is one or more length-prefixed character-strings. */
    private static List<String> characterStrings(ByteBuf rdata) {
        ByteBuf b = rdata.duplicate();
        List<String> strings = new ArrayList<>();
        while (b.isReadable()) {
            int len = b.readUnsignedByte();
            if (len > b.readableBytes()) {
                throw new DecodingException("TXT character-string of " + len + " bytes overruns its record");
            }
            strings.add(b.readCharSequence(len, StandardCharsets.UTF_8).toString());
        }
        return strings;
    }
}
