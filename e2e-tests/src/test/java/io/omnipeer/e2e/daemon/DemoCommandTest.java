package io.omnipeer.e2e.daemon;

import io.omnipeer.e2e.browser.OmnipeerExtension;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** README's first command: {@code ./omnipeer demo} runs three daemon processes and exits 0 on success. */
class DemoCommandTest {
    @Test
    void demoSucceedsStepByStep() throws IOException, InterruptedException {
        Process demo = new ProcessBuilder(OmnipeerExtension.repoRoot().resolve("omnipeer").toString(), "demo")
                .redirectErrorStream(true).start();
        boolean finished = demo.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            demo.destroyForcibly();
        }
        String output = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(finished).as(output).isTrue();
        assertThat(demo.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("B -> A connected")
                .contains("agent omnipeer/")
                .contains("RTT median")
                .contains("B received \"hello from A\"")
                .contains("C received \"hello from A\"")
                .contains("Demo succeeded");
    }
}
