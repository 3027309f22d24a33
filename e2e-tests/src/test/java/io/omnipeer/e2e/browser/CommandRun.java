package io.omnipeer.e2e.browser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Result of running a short-lived command to completion: exit code and combined stdout+stderr.
 *
 * @param exitCode the process exit status
 * @param output   stdout and stderr interleaved, UTF-8
 */
record CommandRun(int exitCode, String output) {

    /**
     * Runs {@code command} in {@code dir} with stdin closed, bounded by {@code timeout}.
     *
     * @throws IOException if it cannot start or does not finish in time (it is then killed)
     */
    static CommandRun run(Path dir, List<String> command, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[][] output = {new byte[0]};
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = ("reading output failed: " + e).getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
        }
        reader.join(timeout.toMillis());
        return new CommandRun(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }
}
