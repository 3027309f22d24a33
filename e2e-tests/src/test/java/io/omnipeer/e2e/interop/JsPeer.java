package io.omnipeer.e2e.interop;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.core.Multiaddr;
import io.omnipeer.core.PeerId;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

    private final JsonLinesProcess process;
    private final JsonNode readyEvent;

    /**
     * Options for {@link #start(Options)}; {@code mdnsPort} 0 = mDNS off; {@code pubsub} "floodsub" or
     * "gossipsub" (js gossipsub also speaks /floodsub/1.0.0).
     */
    public record Options(int mdnsPort, int mdnsIntervalMs, String agentVersion, String pubsub, boolean dht) {
        public static Options defaults() {
            return new Options(0, 1000, "omnipeer-e2e-js-peer/1.0", "floodsub", false);
        }

        public Options withMdns(int port, int intervalMs) {
            return new Options(port, intervalMs, agentVersion, pubsub, dht);
        }

        public Options withGossipsub() {
            return new Options(mdnsPort, mdnsIntervalMs, agentVersion, "gossipsub", dht);
        }

        /** Runs @libp2p/kad-dht in server mode on /ipfs/kad/1.0.0 (see peer.mjs "--dht"). */
        public Options withDht() {
            return new Options(mdnsPort, mdnsIntervalMs, agentVersion, pubsub, true);
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
        if (options.dht()) {
            cmd.add("--dht");
        }
        if (options.mdnsPort() > 0) {
            cmd.addAll(List.of("--mdns-port", Integer.toString(options.mdnsPort()),
                    "--mdns-interval-ms", Integer.toString(options.mdnsIntervalMs())));
        }
        Process p = new ProcessBuilder(cmd).directory(js.toFile()).start();
        return new JsPeer(p);
    }

    private JsPeer(Process process) throws IOException {
        this.process = new JsonLinesProcess(process, "js-peer", CALL_TIMEOUT);
        this.readyEvent = this.process.awaitReady();
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

    /** The js gossipsub node's mesh peers for a topic (base58 peer IDs); needs {@link Options#withGossipsub()}. */
    public List<String> meshPeers(String topic) {
        return texts(call("mesh-peers", Map.of("topic", topic)).get("peers"));
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
        return process.eventMark();
    }

    /** As {@link #awaitEvent} but ignoring the first {@code mark} events. */
    public JsonNode awaitEventAfter(int mark, String event, Predicate<JsonNode> filter, Duration timeout) {
        return process.awaitEventAfter(mark, event, filter, timeout);
    }

    /** Events received after {@code mark} (see {@link #eventMark()}). */
    public List<JsonNode> eventsAfter(int mark) {
        return process.eventsAfter(mark);
    }

    /** Sends one command and waits for its result; throws JsPeerException on error/timeout. */
    public JsonNode call(String cmd, Map<String, ?> args) {
        return process.call(cmd, args);
    }

    /** Stops the js node (stop command, then kill after 5 s). */
    @Override
    public void close() {
        process.close();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    static Path jsDir() {
        return JsModules.jsDir();
    }

    static Path nodeBinary(Path js) {
        return JsModules.nodeBinary(js);
    }

    static void ensureInstalled(Path js) throws IOException {
        JsModules.ensureInstalled(js);
    }

    /** A js-side error, a timeout, or the process having exited. */
    public static final class JsPeerException extends RuntimeException {
        public JsPeerException(String message) {
            super(message);
        }
    }
}
