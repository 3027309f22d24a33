package io.omnipeer.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.omnipeer.core.MultiaddrValues.Kind;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A multiaddr: a self-describing network address such as {@code /ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…}.
 * Spec: multiformats/multiaddr README ("Encoding") and protocols.csv. Binary form: per component a varint
 * protocol code, then a fixed-size value or a varint length and that many bytes.
 * Immutable and thread-safe; equality is by binary form. {@link #toString()} is canonical (ipfs → p2p,
 * peer IDs in base58btc, IPv6 in RFC 5952 form).
 */
public final class Multiaddr {
    /** Bound on a binary multiaddr and on its text form (libp2p addresses are far shorter). */
    public static final int MAX_BYTES = 1024;

    /** Protocols understood here, with their multicodec codes (multiformats/multiaddr protocols.csv). */
    public enum Protocol {
        IP4(4, "ip4", Kind.IP4), TCP(6, "tcp", Kind.PORT), IP6(41, "ip6", Kind.IP6), IP6ZONE(42, "ip6zone", Kind.TEXT),
        DNS(53, "dns", Kind.TEXT), DNS4(54, "dns4", Kind.TEXT), DNS6(55, "dns6", Kind.TEXT), DNSADDR(56, "dnsaddr", Kind.TEXT),
        UDP(273, "udp", Kind.PORT), WEBRTC_DIRECT(280, "webrtc-direct", Kind.NONE), WEBRTC(281, "webrtc", Kind.NONE),
        P2P_CIRCUIT(290, "p2p-circuit", Kind.NONE), P2P(421, "p2p", Kind.PEER_ID), TLS(448, "tls", Kind.NONE),
        SNI(449, "sni", Kind.TEXT), NOISE(454, "noise", Kind.NONE), QUIC(460, "quic", Kind.NONE),
        QUIC_V1(461, "quic-v1", Kind.NONE), WEBTRANSPORT(465, "webtransport", Kind.NONE), WS(477, "ws", Kind.NONE),
        WSS(478, "wss", Kind.NONE), HTTP(480, "http", Kind.NONE);

        private final int code;
        private final String text;
        private final Kind kind;

        Protocol(int code, String text, Kind kind) {
            this.code = code;
            this.text = text;
            this.kind = kind;
        }

        public int code() {
            return code;
        }

        /** Name in text multiaddrs, e.g. "quic-v1". */
        public String text() {
            return text;
        }

        /** Whether the component carries a value (e.g. tcp has a port, ws has none). */
        public boolean hasValue() {
            return kind != Kind.NONE;
        }

        int fixedSize() {
            return switch (kind) {
                case NONE -> 0;
                case IP4 -> 4;
                case IP6 -> 16;
                case PORT -> 2;
                case TEXT, PEER_ID -> -1;
            };
        }

        static Protocol byCode(long code) {
            for (Protocol p : values()) {
                if (p.code == code) {
                    return p;
                }
            }
            throw new DecodingException("unknown multiaddr protocol code " + code);
        }

        static Protocol byName(String name) {
            if (name.equals("ipfs")) {
                return P2P;
            }
            for (Protocol p : values()) {
                if (p.text.equals(name)) {
                    return p;
                }
            }
            throw new DecodingException("unknown multiaddr protocol '" + name + "'");
        }
    }

    /** One component; {@code value} is canonical text, "" for protocols without a value. */
    public record Component(Protocol protocol, String value) {
    }

    private final List<Component> components;
    private final byte[] bytes;

    private Multiaddr(List<Component> components, byte[] bytes) {
        this.components = List.copyOf(components);
        this.bytes = bytes;
    }

    /**
     * Parses the text form.
     * @throws DecodingException on unknown protocols, missing or malformed values, or text over {@link #MAX_BYTES}
     */
    public static Multiaddr parse(String text) {
        if (text.length() > MAX_BYTES) {
            throw new DecodingException("multiaddr text longer than " + MAX_BYTES + " characters");
        }
        if (!text.startsWith("/")) {
            throw new DecodingException("multiaddr must start with '/': '" + text + "'");
        }
        String trimmed = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        if (trimmed.isEmpty()) {
            throw new DecodingException("empty multiaddr");
        }
        String[] parts = trimmed.substring(1).split("/", -1);
        ByteBuf out = Unpooled.buffer();
        try {
            for (int i = 0; i < parts.length; i++) {
                Protocol p = Protocol.byName(parts[i]);
                Varint.write(p.code, out);
                if (!p.hasValue()) {
                    continue;
                }
                if (++i >= parts.length) {
                    throw new DecodingException("multiaddr protocol '" + p.text + "' is missing its value");
                }
                byte[] value = MultiaddrValues.toBytes(p.kind, p.text, parts[i]);
                if (p.fixedSize() < 0) {
                    Varint.write(value.length, out);
                }
                out.writeBytes(value);
            }
            byte[] b = new byte[out.readableBytes()];
            out.readBytes(b);
            return fromBytes(b);
        } finally {
            out.release();
        }
    }

    /**
     * Decodes the binary form.
     * @throws DecodingException if empty, longer than {@link #MAX_BYTES}, truncated, or a value is malformed
     */
    public static Multiaddr fromBytes(byte[] bytes) {
        if (bytes.length == 0 || bytes.length > MAX_BYTES) {
            throw new DecodingException("multiaddr must be 1.." + MAX_BYTES + " bytes, got " + bytes.length);
        }
        List<Component> list = new ArrayList<>();
        int[] off = {0};
        while (off[0] < bytes.length) {
            Protocol p = Protocol.byCode(Varint.decode(bytes, off));
            long size = p.fixedSize() >= 0 ? p.fixedSize() : Varint.decode(bytes, off);
            if (size > bytes.length - off[0]) {
                throw new DecodingException("multiaddr component " + p.text + " truncated: needs " + size + " bytes");
            }
            byte[] value = Arrays.copyOfRange(bytes, off[0], off[0] + (int) size);
            off[0] += (int) size;
            list.add(new Component(p, MultiaddrValues.toText(p.kind, p.text, value)));
        }
        return new Multiaddr(list, bytes.clone());
    }

    /** {@code /ip4/a.b.c.d/tcp/port} or {@code /ip6/…/tcp/port}. @throws IllegalArgumentException if unresolved */
    public static Multiaddr fromInetSocketAddress(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("unresolved socket address " + address);
        }
        String host = ip instanceof Inet4Address ? "/ip4/" + IpAddressText.formatIp4(ip.getAddress(), 0)
                : "/ip6/" + IpAddressText.formatIp6(ip.getAddress());
        return parse(host + "/tcp/" + address.getPort());
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public List<Component> components() {
        return components;
    }

    /** The peer ID of the last {@code /p2p/} component, if any. */
    public Optional<PeerId> peerId() {
        for (int i = components.size() - 1; i >= 0; i--) {
            if (components.get(i).protocol() == Protocol.P2P) {
                return Optional.of(PeerId.parse(components.get(i).value()));
            }
        }
        return Optional.empty();
    }

    /** This address ending in {@code /p2p/<peer>} (replacing a trailing /p2p/ component). */
    public Multiaddr withPeerId(PeerId peer) {
        String suffix = "/p2p/" + peer.toBase58();
        if (components.size() == 1 && components.get(0).protocol() == Protocol.P2P) {
            return parse(suffix);
        }
        return parse(withoutPeerId() + suffix);
    }

    /** This address without a trailing {@code /p2p/} component; itself if there is none or it is the only one. */
    public Multiaddr withoutPeerId() {
        int n = components.size();
        if (n < 2 || components.get(n - 1).protocol() != Protocol.P2P) {
            return this;
        }
        return parse(render(components.subList(0, n - 1)));
    }

    /** The value of the first ip4/ip6/dns/dns4/dns6/dnsaddr component. */
    public Optional<String> host() {
        return components.stream()
                .filter(c -> switch (c.protocol()) {
                    case IP4, IP6, DNS, DNS4, DNS6, DNSADDR -> true;
                    default -> false;
                })
                .map(Component::value)
                .findFirst();
    }

    /** The port of the first tcp component. */
    public OptionalInt tcpPort() {
        return components.stream().filter(c -> c.protocol() == Protocol.TCP)
                .mapToInt(c -> Integer.parseInt(c.value())).findFirst();
    }

    /**
     * The socket address of an address starting {@code /ip4|ip6/…/tcp/…}; no name lookup is done.
     * @throws IllegalArgumentException for any other shape
     */
    public InetSocketAddress toInetSocketAddress() {
        if (components.size() < 2 || components.get(1).protocol() != Protocol.TCP) {
            throw new IllegalArgumentException("not an ip4/ip6 + tcp multiaddr: " + this);
        }
        Component ip = components.get(0);
        byte[] raw = switch (ip.protocol()) {
            case IP4 -> IpAddressText.parseIp4(ip.value());
            case IP6 -> IpAddressText.parseIp6(ip.value());
            default -> throw new IllegalArgumentException("not an ip4/ip6 + tcp multiaddr: " + this);
        };
        try {
            return new InetSocketAddress(InetAddress.getByAddress(raw), Integer.parseInt(components.get(1).value()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address bytes in " + this, e);
        }
    }

    /** True for 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104 and the DNS name "localhost". */
    public boolean isLoopback() {
        return host().map(h -> h.startsWith("127.") || h.equals("::1") || h.startsWith("::ffff:127.")
                || h.equalsIgnoreCase("localhost")).orElse(false);
    }

    /** This address followed by {@code other}. */
    public Multiaddr encapsulate(Multiaddr other) {
        byte[] joined = Arrays.copyOf(bytes, bytes.length + other.bytes.length);
        System.arraycopy(other.bytes, 0, joined, bytes.length, other.bytes.length);
        return fromBytes(joined);
    }

    private static String render(List<Component> list) {
        StringBuilder sb = new StringBuilder();
        for (Component c : list) {
            sb.append('/').append(c.protocol().text());
            if (c.protocol().hasValue()) {
                sb.append('/').append(c.value());
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr m && Arrays.equals(m.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return render(components);
    }
}
