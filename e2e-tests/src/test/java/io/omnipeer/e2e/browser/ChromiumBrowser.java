package io.omnipeer.e2e.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.awaitility.Awaitility.await;

/**
 * One headless Debian Chromium with a fresh profile and the unpacked Omnipeer extension, driven by
 * Selenium through {@code /usr/bin/chromedriver}.
 *
 * <p>When given a daemon data directory, a native messaging host manifest is written to
 * {@code <profile>/NativeMessagingHosts/io.omnipeer.native.json} (Chromium's per-profile host
 * directory on Linux); its {@code path} is a generated wrapper script that execs
 * {@code <repo>/omnipeer --data-dir <dir> native-messaging <caller origin>}. Without one, no host is registered and
 * the extension sees the daemon as unreachable. Not thread-safe (one test thread drives it).
 */
public final class ChromiumBrowser implements AutoCloseable {

    /** Upper bound for the browser to reach a state (page loaded, window opened, element shown). */
    public static final Duration UI_TIMEOUT = Duration.ofSeconds(30);
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    // The Debian wrapper /usr/bin/chromium adds its own --load-extension; the real binary avoids that.
    private static final List<Path> CHROMIUM = List.of(Path.of("/usr/lib/chromium/chromium"), Path.of("/usr/bin/chromium"));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ChromeDriver driver;
    private final Path profile;

    private ChromiumBrowser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Starts Chromium with a new profile under {@code workDir}.
     *
     * @param daemonDataDir the data directory the native host shim connects to, or empty for no host
     */
    public static ChromiumBrowser start(Path workDir, Optional<Path> daemonDataDir) throws IOException {
        Path launcher = OmnipeerExtension.repoRoot().resolve("omnipeer");
        return startWithHost(workDir, daemonDataDir.map(dir -> List.of(launcher.toString(), "--data-dir", dir.toString(), "native-messaging")),
                daemonDataDir.map(dir -> Map.of("OMNIPEER_DATA_DIR", dir.toString())).orElse(Map.of()));
    }

    /**
     * Starts Chromium with a new profile under {@code workDir} whose native messaging host runs
     * {@code hostCommand} (empty: no host registered).
     */
    static ChromiumBrowser startWithHost(Path workDir, Optional<List<String>> hostCommand, Map<String, String> hostEnvironment)
            throws IOException {
        Path profile = Files.createDirectories(workDir.resolve("chromium-profile"));
        if (hostCommand.isPresent()) {
            registerNativeHost(workDir, profile, hostCommand.get(), hostEnvironment);
        }
        Path extension = OmnipeerExtension.directory();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("Chromium not installed (scripts/setup-ci.sh)")).toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1200,900",
                "--user-data-dir=" + profile,
                "--load-extension=" + extension,
                "--disable-extensions-except=" + extension);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(workDir.resolve("chromedriver.log").toFile())
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(UI_TIMEOUT);
        return new ChromiumBrowser(driver, profile);
    }

    private static void registerNativeHost(Path workDir, Path profile, List<String> hostCommand, Map<String, String> environment)
            throws IOException {
        Path wrapper = workDir.resolve("native-host.sh");
        StringBuilder script = new StringBuilder("#!/bin/sh\n# Native messaging host for this test browser only.\n");
        // Should the shim ever start a daemon itself (it does when none answers), keep that one on loopback.
        Map<String, String> env = new TreeMap<>(Map.of("OMNIPEER_LISTEN", "/ip4/127.0.0.1/tcp/0", "OMNIPEER_MDNS_INTERFACE", "lo"));
        env.putAll(environment);
        env.forEach((name, value) -> script.append("export ").append(name).append('=').append(shellQuote(value)).append('\n'));
        script.append("exec");
        hostCommand.forEach(arg -> script.append(' ').append(shellQuote(arg)));
        Files.writeString(wrapper, script.append(" \"$@\"\n").toString());
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        Path hosts = Files.createDirectories(profile.resolve("NativeMessagingHosts"));
        Map<String, Object> manifest = Map.of(
                "name", OmnipeerExtension.NATIVE_HOST,
                "description", "Omnipeer native messaging shim (test)",
                "path", wrapper.toString(),
                "type", "stdio",
                "allowed_origins", List.of(OmnipeerExtension.ORIGIN));
        JSON.writerWithDefaultPrettyPrinter().writeValue(hosts.resolve(OmnipeerExtension.NATIVE_HOST + ".json").toFile(), manifest);
    }

    private static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    public WebDriver driver() {
        return driver;
    }

    public Path profile() {
        return profile;
    }

    /** Runs a script in the current page; see {@link JavascriptExecutor#executeScript}. */
    public Object script(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    /** Runs an async script (last argument is the callback); bounded by {@link #UI_TIMEOUT}. */
    public Object asyncScript(String script, Object... args) {
        return driver.executeAsyncScript(script, args);
    }

    /** Opens a URL in a new tab and returns that tab's window handle. */
    public String openTab(String url) {
        driver.switchTo().newWindow(WindowType.TAB);
        driver.get(url);
        return driver.getWindowHandle();
    }

    /** Clicks the element with this id in the current window. */
    public void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    /**
     * Waits for the extension's permission prompt window and clicks Approve or Deny in it.
     * Returns to the tab {@code returnTo} afterwards.
     */
    public void answerPrompt(boolean approve, String returnTo) {
        try (PromptWindow prompt = PromptWindow.awaitOpen(this)) {
            prompt.click(approve ? "approve" : "deny");
        }
        driver.switchTo().window(returnTo);
    }

    /** Waits for the permission prompt window and closes it without answering. */
    public void dismissPrompt(String returnTo) {
        try (PromptWindow prompt = PromptWindow.awaitOpen(this)) {
            prompt.closeWindow();
        }
        driver.switchTo().window(returnTo);
    }

    /**
     * Stops the extension's service worker, as Chromium does when it is idle or crashes
     * (CDP {@code Target.closeTarget} on its target). The next event or connection starts it again.
     */
    @SuppressWarnings("unchecked")
    public void stopServiceWorker() {
        List<Map<String, Object>> targets = (List<Map<String, Object>>) driver.executeCdpCommand("Target.getTargets", Map.of()).get("targetInfos");
        String worker = targets.stream()
                .filter(t -> "service_worker".equals(t.get("type")) && String.valueOf(t.get("url")).startsWith(OmnipeerExtension.ORIGIN))
                .map(t -> (String) t.get("targetId")).findFirst()
                .orElseThrow(() -> new IllegalStateException("the extension's service worker is not running"));
        driver.executeCdpCommand("Target.closeTarget", Map.of("targetId", worker));
    }

    /** Saves a PNG screenshot of the current window (for the report and for debugging failures). */
    public void screenshot(Path file) throws IOException {
        byte[] png = driver.getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** The Chromium binary exists and chromedriver is installed. */
    public static boolean installed() {
        return Files.isExecutable(CHROMEDRIVER) && CHROMIUM.stream().anyMatch(Files::isExecutable);
    }
}
