package io.omnipeer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A bench child process (ours, raw TCP or js) that reports in JSON lines on stdout; other stdout lines are kept as
 * text. Stderr goes to a file under the results' tmp dir. Every wait is bounded. {@link #close()} closes stdin
 * (children exit on that), then terminates and at last kills the process. Thread-safe.
 */
final class ChildProcess implements AutoCloseable {
    /** Bound for a server child to print its ready line: generous, the 2 cores are shared with other sessions' suites. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Path stderr;
    private final List<JsonNode> lines = new ArrayList<>();
    private final List<String> text = new ArrayList<>();
    private final String name;

    private ChildProcess(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        Thread.ofPlatform().daemon().name(name + "-stdout").start(this::pump);
    }

    static ChildProcess start(String name, List<String> command, Path workDir, Path tmpDir) throws IOException {
        Files.createDirectories(tmpDir);
        Path err = tmpDir.resolve(name + "-" + System.nanoTime() + ".stderr");
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectError(err.toFile()).start();
        return new ChildProcess(name, p, err);
    }

    private boolean stdoutClosed;

    private void pump() {
        try (BufferedReader r = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode node = null;
                if (line.startsWith("{")) {
                    try {
                        node = JsonLines.JSON.readTree(line);
                    } catch (IOException e) {
                        node = null;
                    }
                }
                synchronized (this) {
                    if (node != null) {
                        lines.add(node);
                    } else {
                        text.add(line);
                    }
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // process gone
        }
        synchronized (this) {
            stdoutClosed = true;
            notifyAll();
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** How many JSON lines arrived so far: a mark for {@link #awaitEvent(String, int, Duration)}. */
    synchronized int mark() {
        return lines.size();
    }

    /** The first JSON line at index &ge; {@code from} whose {@code event} is {@code event}. */
    JsonNode awaitEvent(String event, int from, Duration timeout) throws IOException {
        return awaitLine(n -> event.equals(n.path("event").asText()), from, timeout);
    }

    synchronized JsonNode awaitLine(Predicate<JsonNode> match, int from, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int i = from;
        while (true) {
            for (; i < lines.size(); i++) {
                if (match.test(lines.get(i))) {
                    return lines.get(i);
                }
            }
            long left = deadline - System.nanoTime();
            // An exited child may still have lines in the pipe: give up only once its stdout is read to the end.
            if (left <= 0 || !process.isAlive() && stdoutClosed && i >= lines.size()) {
                throw new IOException(name + ": no matching line within " + timeout + (process.isAlive() ? "" :
                        " (exited " + process.exitValue() + ")") + "; stderr: " + stderrTail());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }

    /** The first non-JSON stdout line containing {@code needle} (e.g. the daemon's "listening on" line). */
    synchronized String awaitText(String needle, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (String t : text) {
                if (t.contains(needle)) {
                    return t;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !process.isAlive()) {
                throw new IOException(name + ": no line with '" + needle + "' within " + timeout + "; stderr: "
                        + stderrTail());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }
    }

    /** Waits for a one-shot client to end with {@code done}; returns its JSON lines before {@code done}. */
    List<JsonNode> runToEnd(Duration timeout) throws IOException {
        try {
            process.getOutputStream().close();
            awaitEvent("done", 0, timeout);
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            close();
        }
        synchronized (this) {
            return List.copyOf(lines.subList(0, lines.size() - 1));
        }
    }

    String stderrTail() {
        try {
            String s = Files.readString(stderr);
            return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
        } catch (IOException e) {
            return "(no stderr)";
        }
    }

    /** Closes stdin, waits up to 5 s, then SIGTERM, then SIGKILL. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** SIGTERM now (a daemon's shutdown hook runs), then as {@link #close()}. */
    void terminate() {
        process.destroy();
        close();
    }

    @Override
    public String toString() {
        return name + "[" + process.pid() + "]";
    }
}
