package io.omnipeer.bench;

import io.omnipeer.control.ControlClient;
import io.omnipeer.e2e.browser.ChromiumBrowser;
import io.omnipeer.e2e.browser.DaemonProcess;
import io.omnipeer.e2e.browser.TestPages;
import io.omnipeer.protocol.control.JsonRpcCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * Bridge latency in headless Chromium: a web page calls {@code window.p2p}; the call goes page → content script →
 * service worker → native-messaging shim ({@code omnipeer native-messaging}) → daemon (control socket) and back.
 * Timed in the page with {@code performance.now()} around each call, calls one after another, warm-up dropped.
 * <ul>
 *   <li>small: {@code p2p.node.info()};</li>
 *   <li>512 KiB one way: {@code p2p.pubsub.publish(topic, 512 KiB)} until the daemon's reply (the request carries
 *       the payload, the reply is {@code {}});</li>
 *   <li>512 KiB round trip: the page publishes 512 KiB on {@code bench-bridge-in}; a second daemon (connected over
 *       TCP + Noise + yamux, gossipsub) delivers it to an echo client on its control socket, which publishes it back on
 *       {@code bench-bridge-out}, to which the page is subscribed: page → daemon → peer daemon → echo → peer daemon →
 *       daemon → page, 512 KiB base64 in JSON both ways over the bridge (our node does not deliver its own publishes
 *       to local subscribers under gossipsub, so the echo needs a peer);</li>
 *   <li>baseline: {@code p2p.request({method:'bridge.echo', params:{data}})}, answered by the service worker
 *       itself (no shim, no daemon), empty and with the same 512 KiB, encoded and decoded the same way.</li>
 * </ul>
 * The daemon is started by the launcher like a user's; the page's origin gets its grant over the control socket
 * (as the prompt would). Writes {@code bridge.csv}: scenario,path,payloadBytes,run,ms.
 */
final class BridgeBench {
    static final String TOPIC = "bench-bridge";
    static final String IN = "bench-bridge-in";
    static final String OUT = "bench-bridge-out";
    static final int LARGE = 512 * 1024;
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    private final Launch launch;
    private final int smallRuns;
    private final int largeRuns;

    BridgeBench(Launch launch, int smallRuns, int largeRuns) {
        this.launch = launch;
        this.smallRuns = smallRuns;
        this.largeRuns = largeRuns;
    }

    void run(Path csvFile) throws Exception {
        if (!ChromiumBrowser.installed()) {
            throw new IllegalStateException("Chromium/chromedriver not installed (scripts/setup-ci.sh)");
        }
        System.setProperty("omnipeer.repoRoot", launch.repo().toString());
        Path work = Files.createTempDirectory(launch.tmp(), "bridge");
        Csv csv = new Csv("scenario", "path", "payloadBytes", "run", "ms");
        try (DaemonProcess daemon = DaemonProcess.start(work.resolve("daemon"));
             DaemonProcess peer = DaemonProcess.start(work.resolve("peer"));
             ControlClient echo = ControlClient.connect(peer.dataDir().resolve("control.sock"));
             TestPages pages = new TestPages();
             ChromiumBrowser browser = ChromiumBrowser.start(work.resolve("browser"), Optional.of(daemon.dataDir()))) {
            var grant = JsonRpcCodec.mapper().createObjectNode().put("origin", pages.origin());
            grant.putArray("capabilities").add("pubsub:" + TOPIC).add("pubsub:" + IN).add("pubsub:" + OUT);
            daemon.call("grants.add", grant);
            daemon.cli("connect", peer.dialAddress());
            echo.onNotification(n -> {
                if (n.method().equals("pubsub.message") && IN.equals(n.params().path("topic").asText())) {
                    echo.callAsync("pubsub.publish", JsonRpcCodec.mapper().createObjectNode().put("topic", OUT)
                            .put("data", n.params().path("data").asText()));
                }
            });
            echo.call("pubsub.subscribe", JsonRpcCodec.mapper().createObjectNode().put("topic", IN));
            echo.call("pubsub.subscribe", JsonRpcCodec.mapper().createObjectNode().put("topic", OUT));
            browser.driver().manage().timeouts().scriptTimeout(SCRIPT_TIMEOUT);
            browser.openTab(pages.url("app.html"));
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> Boolean.TRUE.equals(browser.script("return !!window.p2p")));
            Object setup = browser.asyncScript(SETUP, OUT);
            if (setup != null) {
                throw new IOException("page setup failed: " + setup);
            }
            measure(browser, csv, "service worker no-op (bridge.echo)", "page-sw", 0, "echo", smallRuns);
            measure(browser, csv, "node.info via shim + daemon", "page-daemon", 0, "info", smallRuns);
            measure(browser, csv, "service worker no-op (bridge.echo) 512 KiB", "page-sw", LARGE, "echo", largeRuns);
            measure(browser, csv, "pubsub.publish 512 KiB (reply {})", "page-daemon", LARGE, "publish", largeRuns);
            // The gossipsub meshes on both topics form within a few heartbeats: wait until one echo comes back.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> browser.asyncScript(MEASURE, "roundtrip", 16, 0, 1) instanceof List<?>);
            measure(browser, csv, "512 KiB page -> daemon -> peer daemon echo -> daemon -> page", "page-daemon-peer",
                    LARGE, "roundtrip", largeRuns);
            csv.write(csvFile);
        }
    }

    private void measure(ChromiumBrowser browser, Csv csv, String scenario, String path, int bytes, String kind,
                         int runs) throws IOException {
        int warmup = Math.max(2, runs / 10);
        Object out = browser.asyncScript(MEASURE, kind, bytes, warmup, runs);
        if (!(out instanceof List<?> samples) || samples.size() != runs) {
            throw new IOException(scenario + ": " + out);
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            double v = ((Number) samples.get(i)).doubleValue();
            ms.add(v);
            csv.add(scenario, path, bytes, i, v);
        }
        BenchMain.log("bridge %s: %s ms", scenario, Stats.of(ms));
    }

    /** Subscribes the page to the topic; resolves queued waiters in arrival order. Done callback: null or error. */
    private static final String SETUP = """
            const done = arguments[arguments.length - 1];
            window.benchWaiters = [];
            p2p.pubsub.subscribe(arguments[0], (m) => {
              const w = window.benchWaiters.shift();
              if (w) w(m.data.length);
            }).then(() => done(null), (e) => done(e.code + ' ' + e.message));""";

    /**
     * args: kind (echo|info|publish|roundtrip), payload bytes, warm-up calls, measured calls. Returns ms per call, or an
     * error string. The payload is converted to base64 per call (as p2p.pubsub.publish does) and the echo's answer
     * decoded back to bytes (as a pubsub.message is), so the no-op pays the page-side encoding the same way.
     */
    private static final String MEASURE = """
            const done = arguments[arguments.length - 1];
            const [kind, size, warmup, runs] = [arguments[0], arguments[1], arguments[2], arguments[3]];
            const bytes = new Uint8Array(size);
            crypto.getRandomValues(bytes.subarray(0, Math.min(size, 65536)));
            for (let i = 65536; i < size; i++) bytes[i] = (i * 31) & 0xff;
            const b64 = (u) => { let s = ''; for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000)); return btoa(s); };
            const unb64 = (t) => { const s = atob(t); const u = new Uint8Array(s.length); for (let i = 0; i < s.length; i++) u[i] = s.charCodeAt(i); return u; };
            const one = async () => {
              if (kind === 'echo') {
                const r = await p2p.request({method: 'bridge.echo', params: {data: b64(bytes)}});
                if (unb64(r.data).length !== size) throw new Error('echo length ' + r.data.length);
              } else if (kind === 'info') {
                const r = await p2p.node.info();
                if (!r.peerId) throw new Error('no peerId');
              } else if (kind === 'publish') {
                await p2p.pubsub.publish('%s', bytes);
              } else {
                window.benchWaiters = [];
                const got = new Promise((resolve) => window.benchWaiters.push(resolve));
                await p2p.pubsub.publish('%s', bytes);
                const n = await Promise.race([got, new Promise((_, rej) => setTimeout(() => rej(new Error('no message back')), 5000))]);
                if (n !== size) throw new Error('message length ' + n);
              }
            };
            (async () => {
              for (let i = 0; i < warmup; i++) await one();
              const ms = [];
              for (let i = 0; i < runs; i++) {
                const t0 = performance.now();
                await one();
                ms.push(performance.now() - t0);
              }
              return ms;
            })().then(done, (e) => done(String(e.code ?? '') + ' ' + (e.message ?? e)));""".formatted(TOPIC, IN);
}
