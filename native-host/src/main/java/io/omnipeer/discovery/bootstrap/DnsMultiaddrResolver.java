package io.omnipeer.discovery.bootstrap;

import io.omnipeer.core.Multiaddr;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves {@code /dns/…}, {@code /dns4/…} and {@code /dns6/…} multiaddrs to IP multiaddrs with the
 * system resolver, keeping the rest of the address (port, {@code /p2p/…}). Spec: multiformats/multiaddr
 * protocols table; libp2p/specs addressing/README.md, "DNS".
 * {@code /dnsaddr} (TXT-based) is not supported and is reported as such.
 */
public final class DnsMultiaddrResolver {
    private DnsMultiaddrResolver() {
    }

    /** True when the first component is a DNS name that must be resolved before dialing. */
    public static boolean needsResolution(Multiaddr addr) {
        return addr.toString().startsWith("/dns");
    }

    /**
     * @return one multiaddr per resolved IP of the matching family (the input unchanged if it is not a DNS address)
     * @throws UnknownHostException     if the name does not resolve
     * @throws IllegalArgumentException for {@code /dnsaddr}
     */
    public static List<Multiaddr> resolve(Multiaddr addr) throws UnknownHostException {
        String[] parts = addr.toString().split("/", 4);
        String kind = parts[1];
        if (!kind.startsWith("dns")) {
            return List.of(addr);
        }
        String name = parts[2];
        String rest = parts.length > 3 ? "/" + parts[3] : "";
        if (kind.equals("dnsaddr")) {
            throw new IllegalArgumentException("/dnsaddr is not supported: " + addr);
        }
        List<Multiaddr> out = new ArrayList<>();
        for (InetAddress ip : InetAddress.getAllByName(name)) {
            if (ip instanceof Inet4Address && !kind.equals("dns6")) {
                out.add(Multiaddr.parse("/ip4/" + ip.getHostAddress() + rest));
            } else if (ip instanceof Inet6Address && !kind.equals("dns4")) {
                out.add(Multiaddr.parse("/ip6/" + ip.getHostAddress().replaceFirst("%.*$", "") + rest));
            }
        }
        if (out.isEmpty()) {
            throw new UnknownHostException("no " + kind + " address for " + name);
        }
        return out;
    }
}
