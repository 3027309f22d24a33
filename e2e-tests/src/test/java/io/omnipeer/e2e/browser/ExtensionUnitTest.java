package io.omnipeer.e2e.browser;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final Duration PROCESS_TIMEOUT = Duration.ofMinutes(5);

    @Test
    void nodeUnitTestsPass() throws Exception {
        Path extension = OmnipeerExtension.directory();
        Path lock = extension.resolve("package-lock.json");
        Path installed = extension.resolve("node_modules/.package-lock.json");
        if (!Files.exists(installed) || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) < 0) {
            CommandRun npm = CommandRun.run(extension, List.of("npm", "ci", "--no-audit", "--no-fund"), PROCESS_TIMEOUT);
            assertThat(npm.exitCode()).as("npm ci in %s:%n%s", extension, npm.output()).isZero();
        }
        List<String> command = new ArrayList<>(List.of("node", "--test"));
        try (Stream<Path> files = Files.list(extension.resolve("test"))) {
            files.map(p -> "test/" + p.getFileName()).filter(n -> n.endsWith(".test.js")).sorted().forEach(command::add);
        }
        CommandRun node = CommandRun.run(extension, command, PROCESS_TIMEOUT);
        System.out.println(node.output());
        assertThat(node.exitCode()).as("node --test:%n%s", node.output()).isZero();
        assertThat(node.output()).contains("# fail 0");
    }
}
