package io.omnipeer.e2e.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A js-libp2p 3.x peer in a child process ({@code e2e-tests/js/peer.mjs} on the Node 22 binary that
 * {@code npm ci} puts in {@code e2e-tests/js/node_modules/node/bin/node}), driven by JSON lines.
 *
 * <p>Calls block for at most {@link #CALL_TIMEOUT} and throw {@link JsPeerException} on a js-side error
 * or a timeout. Events (connect, identify, discovery, pubsub messages) are recorded and can be awaited
 * with {@link #awaitEvent}. Thread-safe. {@link #close()} stops the process (stop command, then kill).
 */
public final class JsPeer implements AutoCloseable {

    /** Upper bound for one request/response round trip and for the node's start-up. */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);
    /** Events kept for {@link #awaitEvent}; older ones are dropped (a test never needs more). */
    private static final int MAX_EVENTS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final OutputStream stdin;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JsonNode> ready = new LinkedBlockingQueue<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final List<String> stderrTail = new CopyOnWriteArrayList<>();
    private final JsonNode readyEvent;

    /**
     * Options for {@link #start(Options)}; {@code mdnsPort} 0 = mDNS off; {@code pubsub} "floodsub" or
     * "gossipsub" (js gossipsub also speaks /floodsub/1.0.0).
     */
    public record Options(int mdnsPort, int mdnsIntervalMs, String agentVersion, String pubsub) {
        public static Options defaults() {
            return new Options(0, 1000, "omnipeer-e2e-js-peer/1.0", "floodsub");
        }

        public Options withMdns(int port, int intervalMs) {
            return new Options(port, intervalMs, agentVersion, pubsub);
        }

        public Options withGossipsub() {
            return new Options(mdnsPort, mdnsIntervalMs, agentVersion, "gossipsub");
        }
    }

    public static JsPeer start() throws IOException {
        return start(Options.defaults());
    }

    /** Starts a js node listening on 127.0.0.1 (random port); returns once it printed {@code ready}. */
    public static JsPeer start(Options options) throws IOException {
        Path js = jsDir();
        ensureInstalled(js);
        List<String> cmd = new ArrayList<>(List.of(nodeBinary(js).toString(), js.resolve("peer.mjs").toString(),
                "--listen", "/ip4/127.0.0.1/tcp/0", "--agent-version", options.agentVersion(),
                "--pubsub", options.pubsub()));
        if (options.mdnsPort() > 0) {
            cmd.addAll(List.of("--mdns-port", Integer.toString(options.mdnsPort()),
                    "--mdns-interval-ms", Integer.toString(options.mdnsIntervalMs())));
        }
        Process p = new ProcessBuilder(cmd).directory(js.toFile()).start();
        return new JsPeer(p);
    }

    private JsPeer(Process process) throws IOException {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread out = Thread.ofPlatform().daemon().name("js-peer-stdout").start(this::readStdout);
        Thread err = Thread.ofPlatform().daemon().name("js-peer-stderr").start(this::readStderr);
        try {
            JsonNode r = ready.poll(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null || r.isMissingNode()) {
                process.destroyForcibly();
                throw new IOException("js peer did not become ready; stderr: " + String.join("\n", stderrTail));
            }
            this.readyEvent = r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while starting js peer", e);
        }
    }

    public PeerId peerId() {
        return PeerId.parse(readyEvent.get("peerId").asText());
    }

    /** Listen addresses including {@code /p2p/<id>}. */
    public List<Multiaddr> addrs() {
        List<Multiaddr> out = new ArrayList<>();
        readyEvent.get("addrs").forEach(a -> out.add(Multiaddr.parse(a.asText())));
        return out;
    }

    /** Protocols the js node registered (e.g. /ipfs/id/1.0.0, /ipfs/ping/1.0.0, /floodsub/1.0.0). */
    public List<String> protocols() {
        return texts(readyEvent.get("protocols"));
    }

    public String agentVersion() {
        return readyEvent.get("agentVersion").asText();
    }

    /** Dials {@code addr}; returns the remote peer id js saw. */
    public PeerId dial(Multiaddr addr) {
        return PeerId.parse(call("dial", Map.of("addr", addr.toString())).get("peerId").asText());
    }

    /** One ping round trip measured by js, in milliseconds. */
    public double ping(PeerId peer) {
        return call("ping", Map.of("peer", peer.toBase58())).get("rttMs").asDouble();
    }

    public void subscribe(String topic) {
        call("subscribe", Map.of("topic", topic));
    }

    public void unsubscribe(String topic) {
        call("unsubscribe", Map.of("topic", topic));
    }

    /** Publishes; returns the peer ids js sent the message to. */
    public List<String> publish(String topic, byte[] data) {
        return texts(call("publish", Map.of("topic", topic, "data", Base64.getEncoder().encodeToString(data)))
                .get("recipients"));
    }

    /** Peers js knows to be subscribed to {@code topic}. */
    public List<String> subscribers(String topic) {
        return texts(call("subscribers", Map.of("topic", topic)).get("peers"));
    }

    /** Connected peer ids. */
    public List<String> peers() {
        List<String> out = new ArrayList<>();
        call("peers", Map.of()).get("peers").forEach(p -> out.add(p.get("peerId").asText()));
        return out;
    }

    /** What js's peer store learned about {@code peer} (from identify). */
    public IdentifyInfo identifyInfo(PeerId peer) {
        JsonNode r = call("identify-info", Map.of("peer", peer.toBase58()));
        return new IdentifyInfo(texts(r.get("protocols")), texts(r.get("listenAddrs")),
                r.path("agentVersion").asText(null), r.path("protocolVersion").asText(null));
    }

    /** Identify data as js stored it. {@code listenAddrs} are multiaddr strings. */
    public record IdentifyInfo(List<String> protocols, List<String> listenAddrs, String agentVersion,
                               String protocolVersion) {
    }

    /** Protocol of the echo service peer.mjs answers (and that {@link #echo} opens). */
    public static final String ECHO_PROTOCOL = "/omnipeer-e2e/echo/1.0.0";

    /**
     * js opens {@link #ECHO_PROTOCOL} to {@code peer}, sends {@code bytes} pseudo-random bytes, half-closes
     * and reads the echo to its end.
     */
    public EchoResult echo(PeerId peer, int bytes) {
        return echo(peer, bytes, 1);
    }

    /** As {@link #echo(PeerId, int)} on {@code streams} concurrent streams; sent/received are totals. */
    public EchoResult echo(PeerId peer, int bytes, int streams) {
        JsonNode r = call("echo", Map.of("peer", peer.toBase58(), "bytes", bytes, "streams", streams));
        return new EchoResult(r.get("sent").asLong(), r.get("received").asLong(), r.get("match").asBoolean(),
                r.get("ms").asDouble());
    }

    /** @param ms wall time of the whole exchange as js measured it */
    public record EchoResult(long sent, long received, boolean match, double ms) {
    }

    /** js starts answering {@code protocol} (with the echo service); js then pushes identify to its peers. */
    public void handle(String protocol) {
        call("handle", Map.of("protocol", protocol));
    }

    /** js negotiates {@code protocol} on a new stream to {@code peer} and closes it; returns the agreed id. */
    public String openStream(PeerId peer, String protocol) {
        return call("open-stream", Map.of("peer", peer.toBase58(), "protocol", protocol)).get("protocol").asText();
    }

    public void hangUp(PeerId peer) {
        call("hangup", Map.of("peer", peer.toBase58()));
    }

    /**
     * Waits for an event (e.g. "peer:identify") matching {@code filter}, including ones already
     * received. Throws JsPeerException after {@code timeout}.
     */
    public JsonNode awaitEvent(String event, Predicate<JsonNode> filter, Duration timeout) {
        return awaitEventAfter(0, event, filter, timeout);
    }

    /** Index to pass to {@link #awaitEventAfter} to consider only events received from now on. */
    public int eventMark() {
        return events.size();
    }

    /** As {@link #awaitEvent} but ignoring the first {@code mark} events. */
    public JsonNode awaitEventAfter(int mark, String event, Predicate<JsonNode> filter, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JsonNode> snapshot = events;
            for (int i = mark; i < snapshot.size(); i++) {
                JsonNode e = snapshot.get(i);
                if (event.equals(e.path("event").asText()) && filter.test(e)) {
                    return e;
                }
            }
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new JsPeerException("no " + event + " event within " + timeout + "; stderr: "
                        + String.join("\n", stderrTail));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JsPeerException("interrupted");
            }
        }
    }

    /** Events received after {@code mark} (see {@link #eventMark()}). */
    public List<JsonNode> eventsAfter(int mark) {
        List<JsonNode> all = List.copyOf(events);
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /** Snapshot of the events received so far. */
    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    /** Sends one command and waits for its result; throws JsPeerException on error/timeout. */
    public JsonNode call(String cmd, Map<String, ?> args) {
        long id = nextId.getAndIncrement();
        ObjectNode req = JSON.createObjectNode().put("id", id).put("cmd", cmd);
        args.forEach((k, v) -> req.set(k, JSON.valueToTree(v)));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        try {
            synchronized (stdin) {
                stdin.write((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            return f.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new JsPeerException("js " + cmd + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new JsPeerException("js " + cmd + " timed out after " + CALL_TIMEOUT);
        } catch (IOException e) {
            throw new JsPeerException("js peer gone: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsPeerException("interrupted");
        } finally {
            pending.remove(id);
        }
    }

    private void readStdout() {
        try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode msg;
                try {
                    msg = JSON.readTree(line);
                } catch (IOException e) {
                    stderrTail.add("[stdout, not JSON] " + line);
                    continue;
                }
                String event = msg.path("event").asText();
                switch (event) {
                    case "ready" -> ready.add(msg);
                    case "result" -> complete(msg, null);
                    case "error" -> complete(msg, msg.path("error").asText());
                    default -> {
                        if (events.size() < MAX_EVENTS) {
                            events.add(msg);
                        }
                    }
                }
            }
        } catch (IOException e) {
            stderrTail.add("[stdout closed] " + e.getMessage());
        } finally {
            ready.add(JSON.missingNode());
            pending.values().forEach(f -> f.completeExceptionally(new IOException("js peer exited")));
        }
    }

    private void complete(JsonNode msg, String error) {
        CompletableFuture<JsonNode> f = pending.get(msg.path("id").asLong(-1));
        if (f == null) {
            stderrTail.add("[unmatched] " + msg);
        } else if (error != null) {
            f.completeExceptionally(new JsPeerException(error));
        } else {
            f.complete(msg.path("result"));
        }
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.err.println("[js-peer] " + line);
                stderrTail.add(line);
                if (stderrTail.size() > 50) {
                    stderrTail.removeFirst();
                }
            }
        } catch (IOException ignored) {
            // process ended
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                call("stop", Map.of());
            } catch (JsPeerException ignored) {
                // it is killed below
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    static Path jsDir() {
        String root = System.getProperty("omnipeer.repoRoot", ".");
        Path dir = Path.of(root).toAbsolutePath().normalize().resolve("e2e-tests/js");
        if (!Files.isRegularFile(dir.resolve("peer.mjs"))) {
            // Running from the module directory without the surefire property.
            dir = Path.of("js").toAbsolutePath();
        }
        return dir;
    }

    static Path nodeBinary(Path js) {
        return js.resolve("node_modules/node/bin/node");
    }

    /** Runs {@code npm ci} once when node_modules is missing (scripts/setup-ci.sh normally did it). */
    static synchronized void ensureInstalled(Path js) throws IOException {
        if (Files.isExecutable(nodeBinary(js))) {
            return;
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(js.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IOException("npm ci in " + js + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during npm ci", e);
        }
        if (!Files.isExecutable(nodeBinary(js))) {
            throw new IOException("npm ci did not install node@22 at " + nodeBinary(js));
        }
    }

    /** A js-side error, a timeout, or the process having exited. */
    public static final class JsPeerException extends RuntimeException {
        public JsPeerException(String message) {
            super(message);
        }
    }
}
