package io.omnipeer.e2e.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The popup's Apps and Permissions tabs and the app prompt in a real Chromium with the real extension, whose native
 * host is {@code e2e-tests/js/fake-apps-host.mjs}: an in-memory stand-in answering the app platform methods, so the
 * UI is exercised whatever the daemon serves (AppPlatformBrowserTest covers the same flows against real daemons).
 * The stand-in logs every request it receives, which shows what the extension sent: {@code grants.add} with
 * {@code expiresAt} for "Allow once", and {@code grants.revoke} when that page closes.
 */
@EnabledIf("io.omnipeer.e2e.browser.AppsPopupUiTest#runnable")
class AppsPopupUiTest {

    static final String APP_ID = "io.omnipeer.test.ui";
    static final String FINGERPRINT = "0a1b 2c3d 4e5f 6789";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static ChromiumBrowser browser;
    static TestPages pages;
    static Path hostLog;

    static boolean runnable() {
        return ChromiumBrowser.installed() && node().isPresent();
    }

    static Optional<Path> node() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "node")).filter(Files::isExecutable).findFirst();
    }

    @BeforeAll
    static void start() throws Exception {
        pages = new TestPages();
        hostLog = work.resolve("fake-host.log");
        Path host = OmnipeerExtension.repoRoot().resolve("e2e-tests/js/fake-apps-host.mjs");
        browser = ChromiumBrowser.startWithHost(work.resolve("browser"),
                Optional.of(List.of(node().orElseThrow().toString(), host.toString())), Map.of("FAKE_HOST_LOG", hostLog.toString()));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (pages != null) pages.close();
    }

    @Test
    void installFromFileSeeUsageAllowOnceUntilThePageClosesThenDisableAndRemove() throws Exception {
        Path notJson = Files.writeString(work.resolve("broken.json"), "{not json");
        Path manifest = SignedManifest.create(APP_ID, "UI Test App", pages.origin(), List.of("stream:chat/1.0.0"))
                .writeTo(work.resolve("ui-test.manifest.json"));
        WebDriver driver = browser.driver();
        try (PopupPage popup = PopupPage.open(browser)) {
            popup.chooseManifestFile(notJson);
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> popup.appsMessage().startsWith("broken.json is not a signed app manifest"));
            assertThat(driver.findElement(By.id("no-apps")).isDisplayed()).as("empty state").isTrue();

            popup.chooseManifestFile(manifest);
            WebElement app = popup.awaitApp(APP_ID);
            assertThat(app.findElement(By.cssSelector(".fingerprint")).getText()).isEqualTo(FINGERPRINT);
            assertThat(popup.appsMessage()).isEqualTo("Installed UI Test App 1.0.0.");
            await().atMost(ChromiumBrowser.UI_TIMEOUT).ignoreExceptions().until(() -> {
                WebElement item = popup.awaitApp(APP_ID);
                String points = item.findElement(By.cssSelector("svg.chart .rate-in")).getDomAttribute("points");
                return points != null && points.split(" ").length >= 2
                        && item.findElement(By.cssSelector(".usage-in")).getText().contains("KiB/s (limit 64.0 KiB/s)");
            });
            browser.screenshot(Path.of("target", "screenshots", "popup-apps-fake-host.png"));
        }

        AppPage page = AppPage.open(browser, pages);
        page.fill("capabilities", "stream:chat/1.0.0");
        int n = page.clickLater("request-access");
        try (PromptWindow prompt = PromptWindow.awaitOpen(browser)) {
            assertThat(prompt.text("requester")).isEqualTo("UI Test App");
            assertThat(prompt.text("fingerprint")).isEqualTo(FINGERPRINT);
            assertThat(prompt.text("origin")).isEqualTo(pages.origin());
            prompt.click("allow-once");
        }
        assertThat(page.awaitResult(n).ok()).isTrue();
        JsonNode added = requests("grants.add").get(0);
        assertThat(added.get("origin").asText()).isEqualTo(pages.origin());
        assertThat(added.get("expiresAt").asLong()).isGreaterThan(System.currentTimeMillis());
        try (PopupPage popup = PopupPage.open(browser)) {
            assertThat(popup.grants()).anyMatch(g -> g.startsWith("app:" + APP_ID + " stream:chat/1.0.0 — until the page closes"));
        }

        AppPlatformBrowserTest.closeTab(browser, page);
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> !requests("grants.revoke").isEmpty());
        JsonNode revoked = requests("grants.revoke").get(0);
        assertThat(revoked.get("origin").asText()).isEqualTo(pages.origin());
        assertThat(revoked.get("capability").asText()).isEqualTo("stream:chat/1.0.0");

        try (PopupPage popup = PopupPage.open(browser)) {
            popup.tab("apps");
            popup.awaitApp(APP_ID).findElement(By.cssSelector("button.toggle")).click();
            await().atMost(ChromiumBrowser.UI_TIMEOUT).ignoreExceptions().until(() ->
                    "false".equals(popup.awaitApp(APP_ID).getDomAttribute("data-enabled")));
            WebElement item = popup.awaitApp(APP_ID);
            assertThat(item.findElement(By.cssSelector("button.toggle")).getText()).isEqualTo("Enable");
            item.findElement(By.cssSelector("button.remove")).click();
            assertThat(driver.switchTo().activeElement().getText()).as("focus moves to the confirmation").isEqualTo("Remove UI Test App");
            driver.switchTo().activeElement().click();
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> driver.findElements(By.cssSelector("li.app")).isEmpty());
            assertThat(driver.findElement(By.id("no-apps")).isDisplayed()).isTrue();
        }
        assertThat(requests("apps.remove").get(0).get("purge").asBoolean()).isFalse();
    }

    /** The params of every request of {@code method} the fake host received, in order. */
    static List<JsonNode> requests(String method) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        if (!Files.exists(hostLog)) return found;
        for (String line : Files.readAllLines(hostLog)) {
            JsonNode request = JSON.readTree(line);
            if (request.get("method").asText().equals(method)) found.add(request.get("params"));
        }
        return found;
    }
}
