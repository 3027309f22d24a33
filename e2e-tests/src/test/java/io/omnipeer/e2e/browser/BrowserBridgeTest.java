package io.omnipeer.e2e.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two headless Chromium instances, each with its own profile, extension and daemon (real
 * {@code omnipeer daemon} processes on 127.0.0.1 connected with {@code omnipeer connect}); the
 * extension reaches its daemon through the real native-messaging shim. Pages act as a user would:
 * buttons, the permission prompt window, the toolbar popup.
 */
@EnabledIf("io.omnipeer.e2e.browser.BrowserBridgeTest#runnable")
class BrowserBridgeTest {

    @TempDir
    static Path work;
    static TwoBrowsers stage;
    static DaemonProcess daemonA;
    static DaemonProcess daemonB;
    static ChromiumBrowser browserA;
    static ChromiumBrowser browserB;

    static boolean runnable() {
        return ChromiumBrowser.installed() && DaemonProcess.available();
    }

    @BeforeAll
    static void start() throws Exception {
        stage = TwoBrowsers.start(work);
        daemonA = stage.daemonA();
        daemonB = stage.daemonB();
        browserA = stage.browserA();
        browserB = stage.browserB();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void approvedPagesExchangePubsubMessagesAcrossTwoBrowsersAndDaemons() throws Exception {
        try (TestPages pages = new TestPages()) {
            AppPage a = AppPage.open(browserA, pages);
            AppPage.Result granted = a.requestAccess("pubsub:chat", true);
            assertThat(granted.ok()).as(granted.text()).isTrue();
            assertThat(granted.text()).contains("\"capability\":\"pubsub:chat\"").contains(pages.origin());
            assertThat(a.click("subscribe").ok()).isTrue();

            AppPage b = AppPage.open(browserB, pages);
            assertThat(b.requestAccess("pubsub:chat", true).ok()).isTrue();
            b.fill("message", "hello from B");
            // Floodsub learns A's subscription asynchronously: publish until it arrives (bounded).
            await().atMost(ChromiumBrowser.UI_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(b.click("publish").ok()).isTrue();
                return a.messages().contains("hello from B");
            });
        }
    }

    @Test
    void deniedOrDismissedRequestsGet4001AndUngrantedCallsGet4100() throws Exception {
        try (TestPages pages = new TestPages()) {
            AppPage page = AppPage.open(browserA, pages);
            AppPage.Result denied = page.requestAccess("pubsub:chat", false);
            assertThat(denied.state()).isEqualTo("error");
            assertThat(denied.code()).isEqualTo("4001");

            int n = page.clickLater("request-access");
            browserA.dismissPrompt(page.handle());
            assertThat(page.awaitResult(n).code()).isEqualTo("4001");

            assertThat(page.click("subscribe").code()).isEqualTo("4100");
            assertThat(page.click("publish").code()).isEqualTo("4100");
            assertThat(page.requestErrorCode("node.info", "{}")).isEqualTo(4100L);
            assertThat(page.requestErrorCode("peers.list", "{}")).isEqualTo(4100L);
            assertThat(page.requestErrorCode("grants.add", "{\"origin\":\"x\",\"capabilities\":[\"pubsub:chat\"]}")).isEqualTo(4100L);
            assertThat(page.requestErrorCode("grants.list", "{}")).isNull();
        }
    }

    @Test
    void notificationsAndPeerListNeedTheirOwnGrants() throws Exception {
        try (TestPages pages = new TestPages()) {
            AppPage page = AppPage.open(browserA, pages);
            assertThat(page.requestAccess("pubsub:chat", true).ok()).isTrue();
            String show = "{\"title\":\"New message\",\"body\":\"from the test\"}";
            assertThat(page.requestErrorCode("notifications.show", show)).as("pubsub:chat is not notifications").isEqualTo(4100L);
            assertThat(page.requestErrorCode("peers.list", "{}")).as("pubsub:chat is not peers:read").isEqualTo(4100L);

            assertThat(page.requestAccess("notifications, peers:read", true).ok()).isTrue();
            assertThat(page.requestResult("notifications.show", show)).startsWith("{\"id\":\"omnipeer-");
            assertThat(page.requestResult("peers.list", "{}")).startsWith("{\"peers\":[");
            assertThat(page.requestErrorCode("notifications.show", "{\"title\":\"\"}")).isEqualTo(-32602L);
            // the daemon's rate: 10 per minute per origin, then a clear 4290 (this page already showed one)
            for (int i = 1; i < 10; i++) {
                assertThat(page.requestErrorCode("notifications.show", show)).as("notification %d", i + 1).isNull();
            }
            assertThat(page.requestErrorCode("notifications.show", show)).isEqualTo(4290L);
        }
    }

    @Test
    void secondRequestJoinsTheQueueOfTheOnePromptWindow() throws Exception {
        try (TestPages first = new TestPages(); TestPages second = new TestPages()) {
            AppPage one = AppPage.open(browserA, first);
            AppPage two = AppPage.open(browserA, second);
            int n1 = one.clickLater("request-access");
            try (PromptWindow prompt = PromptWindow.awaitOpen(browserA)) {
                int n2 = two.clickLater("request-access");
                prompt.awaitText("waiting", "1 more request waiting.");
                assertThat(PromptWindow.count(browserA)).isEqualTo(1);
                assertThat(prompt.text("origin")).isEqualTo(first.origin());
                assertThat(prompt.text("capabilities")).isEqualTo("Send and receive messages on the topic \"chat\"");
                prompt.screenshot(Path.of("target", "screenshots", "prompt-queue.png"));
                prompt.click("approve");
                prompt.awaitText("origin", second.origin());
                prompt.click("deny");
                assertThat(one.awaitResult(n1).ok()).isTrue();
                assertThat(two.awaitResult(n2).code()).isEqualTo("4001");
            }
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> PromptWindow.count(browserA) == 0);
        }
    }

    @Test
    void revokingInThePopupStopsThePageAtOnce() throws Exception {
        try (TestPages revoked = new TestPages(); TestPages witness = new TestPages(); TestPages sender = new TestPages()) {
            AppPage page = AppPage.open(browserA, revoked);
            assertThat(page.requestAccess("pubsub:chat", true).ok()).isTrue();
            assertThat(page.click("subscribe").ok()).isTrue();
            AppPage watcher = AppPage.open(browserA, witness);
            assertThat(watcher.requestAccess("pubsub:chat", true).ok()).isTrue();
            assertThat(watcher.click("subscribe").ok()).isTrue();

            String popup = browserA.openTab(OmnipeerExtension.url("popup.html"));
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> browserA.driver().findElement(By.id("tab-permissions")).isDisplayed());
            browserA.click("tab-permissions");
            By revokeButton = By.cssSelector("button.revoke[data-origin='" + revoked.origin() + "']");
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> !browserA.driver().findElements(revokeButton).isEmpty());
            browserA.driver().findElement(revokeButton).click();
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> browserA.driver().findElements(revokeButton).isEmpty());
            browserA.driver().switchTo().window(popup).close();

            assertThat(page.click("publish").code()).isEqualTo("4100");
            assertThat(page.click("subscribe").code()).isEqualTo("4100");
            assertThat(daemonA.call("grants.list", io.omnipeer.protocol.control.JsonRpcCodec.mapper().createObjectNode()
                    .put("origin", revoked.origin())).get("grants")).isEmpty();

            AppPage from = AppPage.open(browserB, sender);
            assertThat(from.requestAccess("pubsub:chat", true).ok()).isTrue();
            from.fill("message", "after revoke");
            await().atMost(ChromiumBrowser.UI_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(from.click("publish").ok()).isTrue();
                return watcher.messages().contains("after revoke");
            });
            assertThat(page.messages()).doesNotContain("after revoke");
        }
    }

    @Test
    void popupShowsThisNodesPeerIdAddressesAndPeerCount() throws Exception {
        String popup = browserA.openTab(OmnipeerExtension.url("popup.html"));
        WebElement peerId = browserA.driver().findElement(By.id("peer-id"));
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(peerId::isDisplayed);
        assertThat(peerId.getText()).isEqualTo(daemonA.peerId());
        assertThat(browserA.driver().findElement(By.id("peer-count")).getText()).isEqualTo("1");
        assertThat(browserA.driver().findElements(By.cssSelector("#listen-addrs li")))
                .extracting(WebElement::getText).anyMatch(a -> a.startsWith("/ip4/127.0.0.1/tcp/"));
        assertThat(browserA.driver().findElement(By.id("unreachable")).isDisplayed()).isFalse();
        browserA.screenshot(Path.of("target", "screenshots", "popup-connected.png"));
        browserA.driver().switchTo().window(popup).close();
        browserA.driver().switchTo().window(browserA.driver().getWindowHandles().iterator().next());
    }

    @Test
    void popupAndGrantedPagesFollowPeerChangesLive() throws Exception {
        try (TestPages pages = new TestPages()) {
            AppPage app = AppPage.open(browserA, pages);
            assertThat(app.requestAccess("pubsub:chat", true).ok()).isTrue();
            String popup = browserA.openTab(OmnipeerExtension.url("popup.html"));
            By count = By.id("peer-count");
            await().atMost(ChromiumBrowser.UI_TIMEOUT).ignoreExceptions()
                    .until(() -> browserA.driver().findElement(count).getText().equals("1"));

            try (DaemonProcess third = DaemonProcess.start(work.resolve("c"))) {
                third.cli("connect", daemonA.dialAddress());
                // No reload: the daemon's peers.changed reaches the open popup through the service worker.
                await().atMost(ChromiumBrowser.UI_TIMEOUT).ignoreExceptions()
                        .until(() -> browserA.driver().switchTo().window(popup).findElement(count).getText().equals("2"));
                third.stop();
                await().atMost(ChromiumBrowser.UI_TIMEOUT).ignoreExceptions()
                        .until(() -> browserA.driver().switchTo().window(popup).findElement(count).getText().equals("1"));
            }
            browserA.driver().switchTo().window(popup).close();
            app.focus();
            assertThat(browserA.driver().findElements(By.cssSelector("#events li[data-event='peersChanged']")))
                    .extracting(WebElement::getText).contains("peersChanged {\"connectedPeers\":2}");
        }
    }

    @Test
    void messagesOverTheOneMebibyteNativeMessagingCapArriveWhole() throws Exception {
        try (TestPages pages = new TestPages()) {
            AppPage a = AppPage.open(browserA, pages);
            assertThat(a.requestAccess("pubsub:big", true).ok()).isTrue();
            a.focus();
            assertThat(browserA.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    window.bigMessages = [];
                    p2p.pubsub.subscribe('big', (m) => window.bigMessages.push(
                        {length: m.data.length, checksum: m.data.reduce((s, b) => (s * 31 + b) % 1000003, 0)}))
                       .then(() => done(null), (e) => done(e.code));""")).isNull();

            AppPage b = AppPage.open(browserB, pages);
            assertThat(b.requestAccess("pubsub:big", true).ok()).isTrue();
            // 900,000 bytes: in pubsub.message that is 1.2 MB of base64, over Chromium's 1,048,576-byte cap for one
            // host message, so the shim sends it in chunks and the service worker reassembles it.
            String publish = """
                    const done = arguments[arguments.length - 1];
                    const data = new Uint8Array(900000);
                    for (let i = 0; i < data.length; i++) data[i] = (i * 7 + 3) & 0xff;
                    p2p.pubsub.publish('big', data).then(() => done(null), (e) => done(e.code + ' ' + e.message));""";
            long checksum = 0;
            for (int i = 0; i < 900_000; i++) {
                checksum = (checksum * 31 + ((i * 7 + 3) & 0xff)) % 1_000_003;
            }
            await().atMost(ChromiumBrowser.UI_TIMEOUT).pollInterval(Duration.ofSeconds(2)).until(() -> {
                b.focus();
                assertThat(browserB.asyncScript(publish)).isNull();
                a.focus();
                return !((List<?>) browserA.script("return window.bigMessages")).isEmpty();
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> first = (Map<String, Object>) ((List<?>) browserA.script("return window.bigMessages")).get(0);
            assertThat(first).containsEntry("length", 900_000L).containsEntry("checksum", checksum);
        }
    }

    @Test
    void aServiceWorkerRestartRejectsPendingCallsWith4900AndTheNextCallWorks() throws Exception {
        try (TestPages granted = new TestPages(); TestPages asking = new TestPages()) {
            AppPage app = AppPage.open(browserA, granted);
            assertThat(app.requestAccess("pubsub:chat", true).ok()).isTrue();
            AppPage page = AppPage.open(browserA, asking);
            int pending = page.clickLater("request-access");
            try (PromptWindow prompt = PromptWindow.awaitOpen(browserA)) {
                assertThat(prompt.text("origin")).isEqualTo(asking.origin());
            }

            browserA.stopServiceWorker();

            AppPage.Result result = page.awaitResult(pending);
            assertThat(result.code()).as(result.text()).isEqualTo("4900");
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> PromptWindow.count(browserA) == 0);
            app.focus();
            assertThat(browserA.driver().findElements(By.cssSelector("#events li[data-event='disconnect']"))).isNotEmpty();
            assertThat(app.requestErrorCode("node.info", "{}")).as("a call after the restart").isNull();
        }
    }

    @Test
    void pubsubLatencyFromPageToPageAcrossTwoBrowsers() throws Exception {
        try (TestPages pages = new TestPages()) {
            AppPage a = AppPage.open(browserA, pages);
            assertThat(a.requestAccess("pubsub:latency", true).ok()).isTrue();
            a.focus();
            // Both browsers run on this machine: timeOrigin + now() is the same wall clock, in ms.
            assertThat(browserA.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    window.latency = [];
                    p2p.pubsub.subscribe('latency', (m) =>
                        window.latency.push(performance.timeOrigin + performance.now() - JSON.parse(m.text).sentAt))
                       .then(() => done(null), (e) => done(e.code));""")).isNull();
            AppPage b = AppPage.open(browserB, pages);
            assertThat(b.requestAccess("pubsub:latency", true).ok()).isTrue();
            String publish = """
                    const done = arguments[arguments.length - 1];
                    (async () => {
                      for (let i = 0; i < arguments[0]; i++) {
                        await p2p.pubsub.publish('latency', JSON.stringify({sentAt: performance.timeOrigin + performance.now()}));
                        await new Promise((r) => setTimeout(r, 20));
                      }
                    })().then(() => done(null), (e) => done(e.code));""";
            await().atMost(ChromiumBrowser.UI_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                b.focus();
                assertThat(browserB.asyncScript(publish, 1)).isNull();
                a.focus();
                return !((List<?>) browserA.script("return window.latency")).isEmpty();
            });
            a.focus();
            browserA.script("window.latency = []");
            b.focus();
            assertThat(browserB.asyncScript(publish, 30)).isNull();
            a.focus();
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> ((List<?>) browserA.script("return window.latency")).size() >= 30);
            List<Double> ms = new ArrayList<>(((List<?>) browserA.script("return window.latency")).stream()
                    .map(n -> ((Number) n).doubleValue()).toList());
            Collections.sort(ms);
            System.out.printf("BENCH pubsub page B -> SW -> shim -> daemon B -> floodsub -> daemon A -> shim -> SW -> page A, n=%d: "
                    + "median %.2f ms, p90 %.2f ms, min %.2f ms, max %.2f ms%n", ms.size(), ms.get(ms.size() / 2),
                    ms.get(ms.size() * 9 / 10), ms.get(0), ms.get(ms.size() - 1));
        }
    }

    @Test
    void bridgeRoundTripForNodeInfo() throws Exception {
        try (TestPages pages = new TestPages()) {
            AppPage page = AppPage.open(browserA, pages);
            assertThat(page.requestAccess("pubsub:bench", true).ok()).isTrue();
            page.focus();
            @SuppressWarnings("unchecked")
            List<Number> samples = (List<Number>) browserA.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    (async () => {
                      for (let i = 0; i < 5; i++) await p2p.node.info();
                      const ms = [];
                      for (let i = 0; i < 50; i++) {
                        const t0 = performance.now();
                        await p2p.node.info();
                        ms.push(performance.now() - t0);
                      }
                      return ms;
                    })().then(done, (e) => done([e.code]));""");
            assertThat(samples).hasSize(50);
            List<Double> ms = new ArrayList<>(samples.stream().map(Number::doubleValue).toList());
            Collections.sort(ms);
            System.out.printf("BENCH bridge round trip page->SW->shim->daemon->page, node.info, n=50: median %.2f ms, p90 %.2f ms, min %.2f ms, max %.2f ms%n",
                    (ms.get(24) + ms.get(25)) / 2, ms.get(44), ms.get(0), ms.get(49));
        }
    }
}
