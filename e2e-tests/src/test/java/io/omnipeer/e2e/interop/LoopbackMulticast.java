package io.omnipeer.e2e.interop;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.NetworkInterface;
import java.util.concurrent.TimeUnit;

/** Test support: mDNS tests multicast on the loopback interface only ("lo"), never on a real NIC. */
public final class LoopbackMulticast {

    public static final String INTERFACE = "lo";

    private LoopbackMulticast() {
    }

    /** Turns the MULTICAST flag on for lo when it is off (needs root, as in CI); then checks it. */
    public static void ensureEnabled() throws IOException, InterruptedException {
        NetworkInterface lo = NetworkInterface.getByName(INTERFACE);
        if (lo == null) {
            throw new IllegalStateException("no loopback interface " + INTERFACE);
        }
        if (!lo.supportsMulticast()) {
            Process p = new ProcessBuilder("ip", "link", "set", INTERFACE, "multicast", "on").inheritIO().start();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        if (!NetworkInterface.getByName(INTERFACE).supportsMulticast()) {
            throw new IllegalStateException("lo has multicast off; run as root: ip link set lo multicast on");
        }
    }

    /** A UDP port that was free a moment ago, so parallel runs do not hear each other on 5353. */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
