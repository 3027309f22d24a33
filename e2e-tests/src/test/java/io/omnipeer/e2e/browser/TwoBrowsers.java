package io.omnipeer.e2e.browser;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The browser tests' stage: two daemons connected on loopback, each with its own headless Chromium whose extension
 * reaches that daemon through the real native-messaging shim. Closing stops the browsers, then the daemons.
 */
record TwoBrowsers(DaemonProcess daemonA, DaemonProcess daemonB, ChromiumBrowser browserA, ChromiumBrowser browserB)
        implements AutoCloseable {

    /** Starts both daemons under {@code work}, connects them, then starts a browser for each. */
    static TwoBrowsers start(Path work) throws Exception {
        DaemonProcess a = DaemonProcess.start(work.resolve("a"));
        DaemonProcess b = DaemonProcess.start(work.resolve("b"));
        a.cli("connect", b.dialAddress());
        await().atMost(DaemonProcess.TIMEOUT).until(() -> a.connectedPeers() == 1 && b.connectedPeers() == 1);
        return new TwoBrowsers(a, b, ChromiumBrowser.start(work.resolve("browser-a"), Optional.of(a.dataDir())),
                ChromiumBrowser.start(work.resolve("browser-b"), Optional.of(b.dataDir())));
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {browserA, browserB, daemonA, daemonB}) {
            if (c != null) {
                c.close();
            }
        }
    }
}
