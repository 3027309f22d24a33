package io.omnipeer.e2e.browser;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the extension's own unit tests ({@code extension/test/*.test.js}, Node's built-in runner) so
 * that {@code mvn verify} covers them: message validation, chunk reassembly, capability parsing,
 * the host port, the prompt queue, the grant cache, and the JSON Schema agreement with shared-protocol.
 * Installs the pinned dev dependencies with {@code npm ci} first when they are missing.
 */
class ExtensionUnitTest {

    /** Bound for {@code npm ci} and for the node test run. */
    private static final long PROCESS_TIMEOUT_SECONDS = 300;

    @Test
    void nodeUnitTestsPass() throws Exception {
        Path extension = OmnipeerExtension.directory();
        Path lock = extension.resolve("package-lock.json");
        Path installed = extension.resolve("node_modules/.package-lock.json");
        if (!Files.exists(installed) || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) < 0) {
            Run npm = run(extension, List.of("npm", "ci", "--no-audit", "--no-fund"));
            assertThat(npm.exitCode()).as("npm ci in %s:%n%s", extension, npm.output()).isZero();
        }
        List<String> command = new ArrayList<>(List.of("node", "--test"));
        try (Stream<Path> files = Files.list(extension.resolve("test"))) {
            files.map(p -> "test/" + p.getFileName()).filter(n -> n.endsWith(".test.js")).sorted().forEach(command::add);
        }
        Run node = run(extension, command);
        System.out.println(node.output());
        assertThat(node.exitCode()).as("node --test:%n%s", node.output()).isZero();
        assertThat(node.output()).contains("# fail 0");
    }

    private record Run(int exitCode, String output) {
    }

    private static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        byte[][] output = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = ("reading output failed: " + e).getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + PROCESS_TIMEOUT_SECONDS + " s");
        }
        reader.join();
        return new Run(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }
}
