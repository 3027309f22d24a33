package io.omnipeer.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.protocol.control.JsonRpcMessage;
import io.omnipeer.protocol.control.Methods;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The local demo network: three daemons on loopback, each with its own data dir and port. A is the seed,
 * B finds A through its bootstrap list, C finds both through mDNS on the loopback interface. The demo
 * prints each step (connections, identify results, a ping RTT, a pubsub message from A reaching B and C)
 * and returns 0 on success or 1 with the reason.
 */
public final class Demo {
    static final String TOPIC = "omnipeer-demo";
    static final int PINGS = 5;
    /** How long each step may take before the demo fails with a reason. */
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(30);
    /** How long C waits for mDNS before it is connected by hand (multicast may be off on lo). */
    static final Duration MDNS_TIMEOUT = Duration.ofSeconds(15);

    private final PrintStream out;
    private final Path root;
    private final boolean keepData;
    private final long startNanos = System.nanoTime();

    public Demo(PrintStream out, Path root, boolean keepData) {
        this.out = out;
        this.root = root;
        this.keepData = keepData;
    }

    /** Runs the demo; returns the process exit code. */
    public int run() {
        out.println("Omnipeer demo: three daemons on loopback, data under " + root);
        try (DemoNetwork network = new DemoNetwork(root)) {
            steps(network);
            out.println("Demo succeeded in " + elapsed() + ".");
            return 0;
        } catch (DemoFailure e) {
            out.println("DEMO FAILED: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            out.println("DEMO FAILED: " + e);
            return 1;
        } finally {
            if (!keepData) {
                deleteTree(root);
            }
        }
    }

    private void steps(DemoNetwork network) throws Exception {
        String mdnsLo = "--mdns-interface=lo";
        step(1, "starting daemon A (the seed)");
        DemoNetwork.Daemon a = network.start("a", List.of("--listen", "/ip4/127.0.0.1/tcp/0", mdnsLo));
        JsonNode infoA = info(a);
        out.println("      A = " + infoA.path("peerId").asText() + " on " + infoA.path("listenAddrs"));
        String seedAddr = infoA.path("listenAddrs").get(0).asText() + "/p2p/" + infoA.path("peerId").asText();

        step(1, "starting daemon B (bootstrap list: A)");
        DemoNetwork.Daemon b = network.start("b", List.of("--listen", "/ip4/127.0.0.1/tcp/0", "--bootstrap", seedAddr, mdnsLo));
        out.println("      B = " + info(b).path("peerId").asText());
        step(1, "starting daemon C (no bootstrap list: mDNS on lo only)");
        DemoNetwork.Daemon c = network.start("c", List.of("--listen", "/ip4/127.0.0.1/tcp/0", mdnsLo));
        out.println("      C = " + info(c).path("peerId").asText());
        String idA = infoA.path("peerId").asText();
        String idB = info(b).path("peerId").asText();
        String idC = info(c).path("peerId").asText();

        step(2, "waiting for peers to connect");
        long t0 = System.nanoTime();
        await("B to connect to A through the bootstrap list", STEP_TIMEOUT, () -> connectedTo(b, idA));
        out.printf("      B -> A connected after %d ms (bootstrap list)%n", millisSince(t0));
        boolean viaMdns = awaitQuietly(MDNS_TIMEOUT, () -> connectedTo(c, idA) && connectedTo(c, idB));
        if (viaMdns) {
            out.printf("      C found A and B after %d ms (mDNS on lo)%n", millisSince(t0));
        } else {
            out.println("      mDNS found nothing within " + MDNS_TIMEOUT.toSeconds()
                    + " s (multicast off on lo? `ip link set lo multicast on`); connecting C to A and B by address");
            c.client().call(Methods.PEERS_CONNECT, params("multiaddr", seedAddr));
            c.client().call(Methods.PEERS_CONNECT, params("multiaddr",
                    info(b).path("listenAddrs").get(0).asText() + "/p2p/" + idB));
        }
        await("every daemon to see the other two", STEP_TIMEOUT,
                () -> peerCount(a) == 2 && peerCount(b) == 2 && peerCount(c) == 2);
        out.println("      A, B and C each have 2 connected peers");

        step(3, "identify results as seen by A");
        await("identify to complete on A", STEP_TIMEOUT, () -> identified(a, idB) && identified(a, idC));
        for (JsonNode peer : a.client().call(Methods.PEERS_LIST, params()).path("peers")) {
            out.println("      " + peer.path("peerId").asText() + ": agent " + peer.path("agentVersion").asText()
                    + ", listen " + peer.path("addrs") + ", protocols " + peer.path("protocols"));
        }

        step(4, "ping (" + PINGS + " each; the first one opens the stream and warms up the JIT)");
        for (String[] pair : new String[][]{{"A", idB, "B"}, {"A", idC, "C"}}) {
            double[] rtts = new double[PINGS];
            for (int i = 0; i < PINGS; i++) {
                rtts[i] = a.client().call(Methods.PEERS_PING, params("peerId", pair[1])).path("rttMs").asDouble();
            }
            double first = rtts[0];
            java.util.Arrays.sort(rtts);
            out.printf("      %s -> %s: RTT median %.2f ms, min %.2f ms (first %.2f ms)%n",
                    pair[0], pair[2], rtts[PINGS / 2], rtts[0], first);
        }

        step(5, "pubsub: B and C subscribe to \"" + TOPIC + "\", A publishes");
        Map<String, String> received = new ConcurrentHashMap<>();
        for (DemoNetwork.Daemon d : List.of(b, c)) {
            d.client().onNotification(n -> onMessage(d.name(), n, received));
            d.client().call(Methods.PUBSUB_SUBSCRIBE, params("topic", TOPIC));
        }
        String text = "hello from A";
        long published = System.nanoTime();
        int attempts = 0;
        while (received.size() < 2 && attempts < 10) {
            attempts++;
            a.client().call(Methods.PUBSUB_PUBLISH, params("topic", TOPIC, "data",
                    Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))));
            awaitQuietly(Duration.ofSeconds(2), () -> received.size() == 2);
        }
        if (received.size() < 2) {
            throw new DemoFailure("the message reached only " + received.keySet() + " after " + attempts + " publishes");
        }
        received.forEach((name, from) -> out.printf("      %s received \"%s\" from %s%n", name.toUpperCase(), text,
                from.equals(idA) ? "A (" + from + ")" : from));
        out.printf("      delivered to both within %d ms (%d publish%s; the first may race the subscriptions)%n",
                millisSince(published), attempts, attempts == 1 ? "" : "es");

        step(6, "stopping the daemons");
    }

    private static void onMessage(String name, JsonRpcMessage.Notification n, Map<String, String> received) {
        if (Methods.PUBSUB_MESSAGE.equals(n.method()) && TOPIC.equals(n.params().path("topic").asText())) {
            received.putIfAbsent(name, n.params().path("from").asText());
        }
    }

    private static JsonNode info(DemoNetwork.Daemon d) {
        return d.client().call(Methods.NODE_INFO, params());
    }

    private static int peerCount(DemoNetwork.Daemon d) {
        return info(d).path("connectedPeers").asInt();
    }

    private static boolean connectedTo(DemoNetwork.Daemon d, String peerId) {
        for (JsonNode peer : d.client().call(Methods.PEERS_LIST, params()).path("peers")) {
            if (peer.path("peerId").asText().equals(peerId)) {
                return true;
            }
        }
        return false;
    }

    private static boolean identified(DemoNetwork.Daemon d, String peerId) {
        for (JsonNode peer : d.client().call(Methods.PEERS_LIST, params()).path("peers")) {
            if (peer.path("peerId").asText().equals(peerId) && !peer.path("agentVersion").asText().isEmpty()
                    && peer.path("protocols").size() > 0) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode params(String... keyValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            node.put(keyValues[i], keyValues[i + 1]);
        }
        return node;
    }

    private void step(int n, String what) {
        out.printf("[%d/6] %s (t+%s)%n", n, what, elapsed());
    }

    private String elapsed() {
        return String.format("%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        if (!awaitQuietly(timeout, condition)) {
            throw new DemoFailure("timed out after " + timeout.toSeconds() + " s waiting for " + what);
        }
    }

    private static boolean awaitQuietly(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(100);
        }
        return condition.getAsBoolean();
    }

    private static void deleteTree(Path root) {
        try (var paths = Files.walk(root)) {
            List<Path> all = new ArrayList<>(paths.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // leaving a temp dir behind is harmless
        }
    }

    /** A step that did not happen, with the reason shown to the user. */
    static final class DemoFailure extends RuntimeException {
        DemoFailure(String message) {
            super(message);
        }
    }
}
