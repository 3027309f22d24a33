package io.omnipeer.e2e.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * A child process spoken to in JSON lines: requests {@code {"id":n,"cmd":...}} on stdin; on stdout one
 * {@code {"event":"ready",...}}, then {@code {"event":"result","id":n,"result":{...}}} /
 * {@code {"event":"error","id":n,"error":"..."}} replies and any other events, which are recorded.
 * stderr is echoed with a prefix and its tail kept for error messages. Thread-safe.
 */
final class JsonLinesProcess implements AutoCloseable {

    /** Events kept; later ones are dropped (a test never needs more). */
    private static final int MAX_EVENTS = 10_000;
    /** stderr lines kept for error messages. */
    private static final int STDERR_TAIL_LINES = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final String name;
    private final Duration callTimeout;
    private final OutputStream stdin;
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final BlockingQueue<JsonNode> ready = new LinkedBlockingQueue<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final List<String> stderrTail = new CopyOnWriteArrayList<>();

    JsonLinesProcess(Process process, String name, Duration callTimeout) {
        this.process = process;
        this.name = name;
        this.callTimeout = callTimeout;
        this.stdin = process.getOutputStream();
        Thread.ofPlatform().daemon().name(name + "-stdout").start(this::readStdout);
        Thread.ofPlatform().daemon().name(name + "-stderr").start(this::readStderr);
    }

    /** The {@code ready} event, waited for at most the call timeout. @throws IOException if none came */
    JsonNode awaitReady() throws IOException {
        try {
            JsonNode r = ready.poll(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (r == null || r.isMissingNode()) {
                process.destroyForcibly();
                throw new IOException(name + " did not become ready; stderr: " + stderr());
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while starting " + name, e);
        }
    }

    /** Sends one command and waits for its result; throws JsPeerException on error or timeout. */
    JsonNode call(String cmd, Map<String, ?> args) {
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
            return f.get(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new JsPeer.JsPeerException(name + " " + cmd + " failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new JsPeer.JsPeerException(name + " " + cmd + " timed out after " + callTimeout);
        } catch (IOException e) {
            throw new JsPeer.JsPeerException(name + " gone: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsPeer.JsPeerException("interrupted");
        } finally {
            pending.remove(id);
        }
    }

    int eventMark() {
        return events.size();
    }

    List<JsonNode> eventsAfter(int mark) {
        List<JsonNode> all = List.copyOf(events);
        return all.subList(Math.min(mark, all.size()), all.size());
    }

    /** Waits for an event named {@code event} matching {@code filter} among those after {@code mark}. */
    JsonNode awaitEventAfter(int mark, String event, Predicate<JsonNode> filter, Duration timeout) {
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
                throw new JsPeer.JsPeerException("no " + event + " event from " + name + " within " + timeout
                        + "; stderr: " + stderr());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JsPeer.JsPeerException("interrupted");
            }
        }
    }

    String stderr() {
        return String.join("\n", stderrTail);
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
                switch (msg.path("event").asText()) {
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
            pending.values().forEach(f -> f.completeExceptionally(new IOException(name + " exited")));
        }
    }

    private void complete(JsonNode msg, String error) {
        CompletableFuture<JsonNode> f = pending.get(msg.path("id").asLong(-1));
        if (f == null) {
            stderrTail.add("[unmatched] " + msg);
        } else if (error != null) {
            f.completeExceptionally(new JsPeer.JsPeerException(error));
        } else {
            f.complete(msg.path("result"));
        }
    }

    private void readStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                System.err.println("[" + name + "] " + line);
                stderrTail.add(line);
                if (stderrTail.size() > STDERR_TAIL_LINES) {
                    stderrTail.removeFirst();
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    /** Sends {@code stop}, waits up to 5 s for the exit, then kills the process. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            call("stop", Map.of());
        } catch (JsPeer.JsPeerException ignored) {
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
