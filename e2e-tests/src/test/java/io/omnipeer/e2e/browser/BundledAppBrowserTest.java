package io.omnipeer.e2e.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.WebElement;

/**
 * A bundled app: the chat page shipped in the extension ({@code extension/apps/org.omnipeer.chat/}), installed from a
 * signed manifest whose entry is that page, in two browsers with two daemons. The user opens it from the popup's
 * Apps tab, joins (the prompt names the app), and a message typed in one browser appears in the other. A page of
 * the same folder whose app is disabled gets no {@code window.p2p} access (4900, the service worker refuses it).
 */
@EnabledIf("io.omnipeer.e2e.browser.BrowserBridgeTest#runnable")
class BundledAppBrowserTest {
    static final String APP_ID = "org.omnipeer.chat";
    static final String PAGE = "apps/" + APP_ID + "/index.html";

    @TempDir
    static Path work;
    static TwoBrowsers stage;
    static DaemonProcess daemonA;
    static DaemonProcess daemonB;
    static ChromiumBrowser browserA;
    static ChromiumBrowser browserB;

    @BeforeAll
    static void start() throws Exception {
        stage = TwoBrowsers.start(work);
        daemonA = stage.daemonA();
        daemonB = stage.daemonB();
        browserA = stage.browserA();
        browserB = stage.browserB();
        Path manifest = SignedManifest.bundled(APP_ID, "Omnipeer Chat", PAGE, List.of("pubsub:lobby", "notifications"))
                .writeTo(work.resolve("chat.manifest.json"));
        for (DaemonProcess d : List.of(daemonA, daemonB)) {
            assertThat(d.cli("apps", "install", manifest.toString())).contains(APP_ID);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    /**
     * Clicks "Open" in the popup's Apps tab and sees the chat page open in a new tab (found with CDP: ChromeDriver
     * does not list tabs an extension opens), then opens the same page in a tab the driver controls; returns its handle.
     */
    @SuppressWarnings("unchecked")
    private static String openFromPopup(ChromiumBrowser browser) {
        ChromeDriver driver = (ChromeDriver) browser.driver();
        try (PopupPage popup = PopupPage.open(browser)) {
            popup.tab("apps");
            popup.awaitApp(APP_ID).findElement(By.cssSelector("button.open")).click();
            String[] opened = new String[1];
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> {
                List<Map<String, Object>> targets = (List<Map<String, Object>>) driver
                        .executeCdpCommand("Target.getTargets", Map.of()).get("targetInfos");
                opened[0] = targets.stream().filter(t -> "page".equals(t.get("type"))
                        && OmnipeerExtension.url(PAGE).equals(t.get("url"))).map(t -> (String) t.get("targetId"))
                        .findFirst().orElse(null);
                return opened[0] != null;
            });
            driver.executeCdpCommand("Target.closeTarget", Map.of("targetId", opened[0]));
        }
        return browser.openTab(OmnipeerExtension.url(PAGE));
    }

    private static String status(ChromiumBrowser browser) {
        return browser.driver().findElement(By.id("status")).getText();
    }

    private static List<String> messages(ChromiumBrowser browser) {
        return browser.driver().findElements(By.cssSelector("#messages li")).stream().map(WebElement::getText).toList();
    }

    private static void join(ChromiumBrowser browser, String tab) {
        browser.click("join");
        try (PromptWindow prompt = PromptWindow.awaitOpen(browser)) {
            assertThat(prompt.text("requester")).isEqualTo("Omnipeer Chat");
            assertThat(prompt.text("capabilities")).contains("\"lobby\"");
            prompt.click("approve");
        }
        browser.driver().switchTo().window(tab);
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> status(browser).startsWith("Joined #lobby"));
        assertThat(status(browser)).isEqualTo("Joined #lobby as Omnipeer Chat.");
    }

    @Test
    void theBundledChatOpensFromThePopupJoinsAfterThePromptAndTalksAcrossBrowsers() throws Exception {
        String tabA = openFromPopup(browserA);
        join(browserA, tabA);
        String tabB = openFromPopup(browserB);
        join(browserB, tabB);
        browserB.screenshot(Path.of("target", "screenshots", "bundled-chat.png"));

        // The mesh forms asynchronously: send until the other browser shows it (bounded).
        await().atMost(ChromiumBrowser.UI_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            browserB.driver().switchTo().window(tabB);
            WebElement input = browserB.driver().findElement(By.id("message"));
            input.clear();
            input.sendKeys("hello from B");
            browserB.click("send");
            browserA.driver().switchTo().window(tabA);
            return messages(browserA).stream().anyMatch(m -> m.endsWith("hello from B"));
        });
        // an app page is an extension page, but not the user's: the popup's port (grants.add...) refuses it
        browserA.driver().switchTo().window(tabA);
        assertThat(browserA.asyncScript("""
                const done = arguments[arguments.length - 1];
                const port = chrome.runtime.connect({name: 'omnipeer-ui'});
                port.onMessage.addListener((m) => done('answered ' + JSON.stringify(m)));
                port.onDisconnect.addListener(() => done('disconnected'));
                port.postMessage({id: 1, method: 'grants.add',
                                  params: {origin: 'app:org.omnipeer.chat', capabilities: ['notifications']}});"""))
                .isEqualTo("disconnected");
        assertThat(daemonA.cli("grants", "list")).doesNotContain("notifications");
        // the daemon keeps the app's room in its own namespace on the wire
        assertThat(daemonA.cli("grants", "list")).contains("app:" + APP_ID).contains("pubsub:lobby");

        // disabled: the same page gets no access
        daemonA.cli("apps", "disable", APP_ID);
        browserA.driver().navigate().refresh();
        browserA.click("join");
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> status(browserA).startsWith("Could not join"));
        assertThat(status(browserA)).contains("4900");
    }
}
