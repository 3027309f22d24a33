package io.omnipeer.e2e.browser;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.devtools.Command;
import org.openqa.selenium.devtools.DevTools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.awaitility.Awaitility.await;

/**
 * The extension's permission prompt window ({@code chrome.windows.create({type:'popup'})}).
 *
 * <p>ChromeDriver does not attach to windows that an extension opens, so they never appear among
 * its window handles. This class finds the window's page target with CDP {@code Target.getTargets},
 * attaches a DevTools session to it, and acts as a user: reads what the prompt shows and clicks its
 * buttons with real (trusted) mouse events ({@code Input.dispatchMouseEvent}); closing it is
 * {@code Target.closeTarget}, as when the user closes the window. Not thread-safe.
 */
final class PromptWindow implements AutoCloseable {

    /** Detaching from a window that the click closed is expected; Selenium would log it as a warning. */
    private static final Logger DEVTOOLS_LOG = Logger.getLogger(DevTools.class.getName());

    static {
        DEVTOOLS_LOG.setLevel(Level.SEVERE);
    }

    private final ChromeDriver driver;
    private final DevTools devTools;
    private final String targetId;

    private PromptWindow(ChromeDriver driver, DevTools devTools, String targetId) {
        this.driver = driver;
        this.devTools = devTools;
        this.targetId = targetId;
    }

    /** Waits until the prompt window is open and showing a request, then attaches to it. */
    static PromptWindow awaitOpen(ChromiumBrowser browser) {
        ChromeDriver driver = (ChromeDriver) browser.driver();
        String[] target = new String[1];
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> {
            target[0] = find(driver).orElse(null);
            return target[0] != null;
        });
        DevTools devTools = driver.getDevTools();
        devTools.createSession(target[0]);
        PromptWindow window = new PromptWindow(driver, devTools, target[0]);
        await().atMost(ChromiumBrowser.UI_TIMEOUT).ignoreExceptions()
                .until(() -> Boolean.TRUE.equals(window.eval("!document.getElementById('request').hidden")));
        return window;
    }

    /** Number of open prompt windows (page targets showing prompt.html). */
    static long count(ChromiumBrowser browser) {
        return targets((ChromeDriver) browser.driver()).stream().filter(PromptWindow::isPrompt).count();
    }

    private static Optional<String> find(ChromeDriver driver) {
        return targets(driver).stream().filter(PromptWindow::isPrompt).map(t -> (String) t.get("targetId")).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> targets(ChromeDriver driver) {
        return (List<Map<String, Object>>) driver.executeCdpCommand("Target.getTargets", Map.of()).get("targetInfos");
    }

    private static boolean isPrompt(Map<String, Object> target) {
        return "page".equals(target.get("type"))
                && String.valueOf(target.get("url")).startsWith(OmnipeerExtension.url("prompt.html"));
    }

    /** Text content of the element with this id. */
    String text(String id) {
        return String.valueOf(eval("document.getElementById(" + quote(id) + ").textContent.trim()"));
    }

    /** Waits until the element with this id shows {@code expected}. */
    void awaitText(String id, String expected) {
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> text(id).equals(expected));
    }

    /** Clicks the button with this id (enabled and visible) with a real left mouse click at its centre. */
    @SuppressWarnings("unchecked")
    void click(String id) {
        String button = "document.getElementById(" + quote(id) + ")";
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() ->
                Boolean.TRUE.equals(eval("!" + button + ".disabled && " + button + ".offsetParent !== null")));
        Map<String, Object> centre = (Map<String, Object>) eval(
                "(() => { const r = " + button + ".getBoundingClientRect(); return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        devTools.send(mouse("mousePressed", centre));
        // The click may close the window (last queued request answered): its answer would never come.
        devTools.send(mouse("mouseReleased", centre).doesNotSendResponse());
    }

    private static Command<Map> mouse(String type, Map<String, Object> at) {
        return new Command<>("Input.dispatchMouseEvent",
                Map.of("type", type, "x", at.get("x"), "y", at.get("y"), "button", "left", "clickCount", 1), Map.class);
    }

    /** Saves a PNG of what the prompt window shows (CDP {@code Page.captureScreenshot}). */
    void screenshot(Path file) throws IOException {
        Map<String, Object> shot = devTools.send(new Command<>("Page.captureScreenshot", Map.of("format", "png"), Map.class));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    }

    /** Closes the window as the user would (its close button). */
    void closeWindow() {
        driver.executeCdpCommand("Target.closeTarget", Map.of("targetId", targetId));
    }

    @SuppressWarnings("unchecked")
    private Object eval(String expression) {
        Map<String, Object> response = devTools.send(new Command<>("Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true), Map.class));
        Map<String, Object> result = (Map<String, Object>) response.get("result");
        return result == null ? null : result.get("value");
    }

    private static String quote(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Detaches the DevTools session (the window itself stays as it is). */
    @Override
    public void close() {
        devTools.disconnectSession();
    }
}
