package io.omnipeer.e2e.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Where the js side of the interop tests lives (e2e-tests/js) and its npm install (Node 22 from npm). */
final class JsModules {

    /** Bound on one {@code npm ci}. */
    private static final long NPM_CI_TIMEOUT_MINUTES = 5;

    private JsModules() {
    }

    /** e2e-tests/js, from the {@code omnipeer.repoRoot} system property (set by the e2e-tests pom). */
    static Path jsDir() {
        String root = System.getProperty("omnipeer.repoRoot", ".");
        Path dir = Path.of(root).toAbsolutePath().normalize().resolve("e2e-tests/js");
        if (!Files.isRegularFile(dir.resolve("peer.mjs"))) {
            // Running from the module directory without the surefire property.
            dir = Path.of("js").toAbsolutePath();
        }
        return dir;
    }

    /** The Node 22 binary that the {@code node@22} npm package installs. */
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
            if (!npm.waitFor(NPM_CI_TIMEOUT_MINUTES, TimeUnit.MINUTES) || npm.exitValue() != 0) {
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
}
