package io.omnipeer.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.NativeMessagingFrames;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code omnipeer native-messaging} as a real child process, driven the way Chromium drives it. */
final class ShimProcess implements AutoCloseable {
    final Process process;
    private final OutputStream stdin;
    private final InputStream stdout;

    private ShimProcess(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.stdout = new DataInputStream(process.getInputStream());
    }

    /** Starts the shim as Chromium does: the caller origin plus a browser flag, data dir from the environment. */
    static ShimProcess start(Path dataDir, Path stderrFile) throws IOException {
        return start(dataDir, stderrFile, java.util.Map.of());
    }

    /** As {@link #start(Path, Path)} with extra environment (inherited by a daemon the shim starts). */
    static ShimProcess start(Path dataDir, Path stderrFile, java.util.Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.omnipeer.cli.OmnipeerCommand");
        command.add("chrome-extension://abcdefghijklmnopabcdefghijklmnop/");
        command.add("--parent-window=0");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderrFile.toFile());
        builder.environment().put("OMNIPEER_DATA_DIR", dataDir.toString());
        builder.environment().putAll(env);
        return new ShimProcess(builder.start());
    }

    void send(String json) throws IOException {
        NativeMessagingFrames.writeToHost(stdin, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Next frame from the shim's stdout, at most 1 MiB (Chromium's limit); null at end of stream. */
    byte[] receiveFrame() throws IOException {
        return NativeMessagingFrames.read(stdout, NativeMessagingFrames.MAX_HOST_TO_BROWSER_BYTES);
    }

    JsonNode receive() throws IOException {
        byte[] frame = receiveFrame();
        return frame == null ? null : JsonRpcCodec.mapper().readTree(frame);
    }

    void closeStdin() throws IOException {
        stdin.close();
    }

    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("shim did not exit");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroy();
    }
}
