package io.omnipeer.e2e.browser;

import com.fasterxml.jackson.databind.JsonNode;
import io.omnipeer.protocol.control.JsonRpcCodec;
import io.omnipeer.protocol.control.Methods;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app platform in two real browsers with two real daemons (connected on loopback), acting as a user: install
 * an app from its signed manifest file with the popup's file input, approve its permission prompt (which names the
 * app and its publisher key fingerprint), use {@code p2p.streams} between the two browsers both ways, revoke in the
 * popup and see the open stream end and the next call refused (4100); "Allow once" ends with the page, "Always
 * allow" outlives it; {@code p2p.storage} from a page.
 */
@EnabledIf("io.omnipeer.e2e.browser.BrowserBridgeTest#runnable")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AppPlatformBrowserTest {

    static final String APP_ID = "io.omnipeer.test.chat";
    static final String PROTOCOL = "chat/1.0.0";

    @TempDir
    static Path work;
    static TwoBrowsers stage;
    static DaemonProcess daemonA;
    static DaemonProcess daemonB;
    static ChromiumBrowser browserA;
    static ChromiumBrowser browserB;
    static TestPages pages;
    static Path manifestFile;

    /** The daemon serves the app platform (helper apps): apps.install, streams.* and storage.*. */
    static boolean appsServed() {
        return Methods.REQUESTS.containsAll(List.of(Methods.APPS_INSTALL, Methods.STREAMS_OPEN, Methods.STORAGE_PUT));
    }

    /** The daemon serves streams.* (page streams without installing an app). */
    static boolean streamsServed() {
        return Methods.REQUESTS.containsAll(List.of(Methods.STREAMS_OPEN, Methods.STREAMS_HANDLE, Methods.STREAMS_WRITE));
    }

    @BeforeAll
    static void start() throws Exception {
        stage = TwoBrowsers.start(work);
        daemonA = stage.daemonA();
        daemonB = stage.daemonB();
        browserA = stage.browserA();
        browserB = stage.browserB();
        pages = new TestPages();
        manifestFile = SignedManifest.create(APP_ID, "Test Chat", pages.origin(), List.of("stream:" + PROTOCOL, "storage"))
                .writeTo(work.resolve("test-chat.manifest.json"));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {pages, stage}) {
            if (c != null) c.close();
        }
    }

    @Test
    @Order(0)
    void aPagePutsADhtRecordUnderItsGrantedPrefixAndAPageInTheOtherBrowserGetsIt() throws Exception {
        AppPage a = AppPage.open(browserA, pages);
        assertThat(a.requestAccess("dht:profile/", true).ok()).isTrue();
        a.focus();
        assertThat(browserA.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.dht.put('profile/alice', 'alice@127.0.0.1').then((r) => done(r.peers), (e) => done('error ' + e.code + ' ' + e.message));"""))
                .as("stored on the other node").isEqualTo(1L);
        assertThat(a.requestErrorCode("dht.put", "{\"key\":\"other/alice\",\"value\":\"AA==\"}"))
                .as("outside the granted prefix").isEqualTo(4100L);

        AppPage b = AppPage.open(browserB, pages);
        assertThat(b.requestAccess("dht:profile/", true).ok()).isTrue();
        b.focus();
        assertThat(browserB.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.dht.get('profile/alice').then((v) => done(v && new TextDecoder().decode(v)), (e) => done('error ' + e.code));"""))
                .isEqualTo("alice@127.0.0.1");
        closeTab(browserA, a);
        closeTab(browserB, b);
    }

    @Test
    @Order(0)
    void popupTabsWorkFromTheKeyboardAndSettingsSaveTheNodesBandwidthLimits() throws Exception {
        try (PopupPage popup = PopupPage.open(browserA)) {
            WebDriver driver = browserA.driver();
            driver.findElement(By.id("tab-node")).click();
            driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
            assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("tab-apps");
            assertThat(driver.findElement(By.id("tab-apps")).getDomAttribute("aria-selected")).isEqualTo("true");
            assertThat(driver.findElement(By.id("tab-node")).getDomAttribute("tabindex")).as("roving tabindex").isEqualTo("-1");
            assertThat(driver.findElement(By.id("apps")).isDisplayed()).isTrue();
            assertThat(driver.findElement(By.id("node")).isDisplayed()).isFalse();
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() ->
                    driver.findElement(By.id("system-usage")).getText().startsWith("Whole node: in "));
            if (!appsServed()) {
                assertThat(driver.findElement(By.id("apps-message")).getText()).isEqualTo("This Omnipeer daemon does not manage apps yet.");
            }
            driver.switchTo().activeElement().sendKeys(Keys.END);
            assertThat(driver.switchTo().activeElement().getDomAttribute("id")).isEqualTo("tab-settings");
            driver.switchTo().activeElement().sendKeys(Keys.ARROW_RIGHT);
            assertThat(driver.switchTo().activeElement().getDomAttribute("id")).as("wraps around").isEqualTo("tab-node");
            driver.switchTo().activeElement().sendKeys(Keys.ARROW_LEFT);
            assertThat(driver.findElement(By.id("settings")).isDisplayed()).isTrue();

            String dataDir = daemonA.dataDir().toString();
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> driver.findElement(By.id("data-dir")).getText().equals(dataDir));
            assertThat(driver.findElement(By.id("data-dir-size")).getText()).matches("[0-9.]+ (B|KiB|MiB|GiB)");
            setLimits(driver, "-5", "0");
            assertThat(driver.findElement(By.id("bandwidth-in")).getDomAttribute("aria-invalid")).isEqualTo("true");
            assertThat(driver.findElement(By.id("settings-message")).getText()).startsWith("Enter a whole number of KiB/s");
            setLimits(driver, "512", "256");
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> driver.findElement(By.id("settings-message")).getText().equals("Saved."));
            JsonNode saved = daemonA.call("settings.get", JsonRpcCodec.mapper().createObjectNode()).get("settings");
            assertThat(saved.get("bandwidthInKiBps").asLong()).isEqualTo(512);
            assertThat(saved.get("bandwidthOutKiBps").asLong()).isEqualTo(256);
            browserA.screenshot(Path.of("target", "screenshots", "popup-settings.png"));
            setLimits(driver, "0", "0");
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() ->
                    daemonA.call("settings.get", JsonRpcCodec.mapper().createObjectNode()).get("settings").get("bandwidthInKiBps").asLong() == 0);
        }
    }

    private static void setLimits(WebDriver driver, String in, String out) {
        for (String[] field : new String[][] {{"bandwidth-in", in}, {"bandwidth-out", out}}) {
            WebElement input = driver.findElement(By.id(field[0]));
            input.clear();
            input.sendKeys(field[1]);
        }
        driver.findElement(By.id("save-settings")).click();
    }

    @Test
    @EnabledIf("streamsServed")
    @Order(0)
    void pagesOfOneSiteInTwoBrowsersTalkOverAStreamBothWaysUntilTheUserRevokes() throws Exception {
        String protocol = "echo/1.0.0";
        try (TestPages site = new TestPages()) {
            AppPage a = AppPage.open(browserA, site);
            assertThat(a.requestAccess("stream:" + protocol, true).ok()).isTrue();
            a.focus();
            assertThat(browserA.asyncScript(HANDLE_ECHO, protocol)).isNull();
            AppPage b = AppPage.open(browserB, site);
            assertThat(b.requestAccess("stream:" + protocol, true).ok()).isTrue();
            assertThat(b.requestErrorCode("streams.open", "{\"peerId\":\"" + daemonA.peerId() + "\",\"protocol\":\"other/1.0.0\"}"))
                    .as("a protocol the site was not granted").isEqualTo(4100L);
            b.focus();
            @SuppressWarnings("unchecked")
            Map<String, Object> exchange = (Map<String, Object>) browserB.asyncScript(OPEN_AND_TALK, daemonA.peerId(), protocol, "hi A");
            assertThat(exchange).as(String.valueOf(exchange)).containsEntry("reply", "echo:hi A").containsEntry("rest", "")
                    .containsEntry("closed", null);
            a.focus();
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> "ended".equals(browserA.script("return window.serverLog[0]?.outcome")));
            assertThat(browserA.script("return window.serverLog[0].received")).isEqualTo("hi A");

            b.focus();
            printStreamFigures(protocol);
            assertThat(browserB.asyncScript(OPEN_AND_KEEP, daemonA.peerId(), protocol)).isEqualTo("echo:ping");
            a.focus();
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() ->
                    "ping".equals(browserA.script("return window.serverLog[window.serverLog.length - 1].received")));
            try (PopupPage popup = PopupPage.open(browserA)) {
                popup.revoke(site.origin(), "stream:" + protocol);
            }
            a.focus();
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() ->
                    "error 4100".equals(browserA.script("return window.serverLog[window.serverLog.length - 1].outcome")));
            assertThat(browserA.asyncScript("""
                    const done = arguments[arguments.length - 1];
                    p2p.streams.handle(arguments[0], () => {}).then(() => done('handled'), (e) => done(e.code));""", protocol))
                    .isEqualTo(4100L);
            b.focus();
            await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> browserB.script("return window.kept.outcome") != null);
            assertThat(String.valueOf(browserB.script("return window.kept.outcome"))).matches("ended|error 4900");
            closeTab(browserA, a);
            closeTab(browserB, b);
        }
    }

    /** Prints the stream echo round trip and bulk figures, measured from the current page of browser B. */
    private static void printStreamFigures(String protocol) throws Exception {
        @SuppressWarnings("unchecked")
        List<Number> samples = (List<Number>) browserB.asyncScript(ECHO_ROUND_TRIPS, daemonA.peerId(), protocol);
        List<Double> ms = new ArrayList<>(samples.stream().map(Number::doubleValue).toList());
        Collections.sort(ms);
        System.out.printf("BENCH stream echo page B -> daemon B -> yamux -> daemon A -> page A -> back, n=%d: median %.2f ms, "
                + "p90 %.2f ms, min %.2f ms, max %.2f ms%n", ms.size(), ms.get(ms.size() / 2), ms.get(ms.size() * 9 / 10),
                ms.get(0), ms.get(ms.size() - 1));
        @SuppressWarnings("unchecked")
        Map<String, Object> bulk = (Map<String, Object>) browserB.asyncScript(BULK, daemonA.peerId(), protocol, 2 * 1024 * 1024);
        assertThat(bulk).as(String.valueOf(bulk)).containsKey("seconds");
        double seconds = ((Number) bulk.get("seconds")).doubleValue();
        System.out.printf("BENCH stream bulk page B -> page A (echoed back), 2 MiB each way in 256 KiB writes: %.2f s, %.2f MiB/s each way%n",
                seconds, 2 / seconds);
    }

    @Test
    @EnabledIf("appsServed")
    @Order(1)
    void installFromTheManifestFileApproveThePromptAndExchangeStreamDataBothWays() throws Exception {
        String fingerprint = null;
        for (ChromiumBrowser browser : List.of(browserA, browserB)) {
            try (PopupPage popup = PopupPage.open(browser)) {
                popup.chooseManifestFile(manifestFile);
                WebElement app = popup.awaitApp(APP_ID);
                assertThat(app.findElement(By.cssSelector(".app-name")).getText()).isEqualTo("Test Chat");
                assertThat(popup.appsMessage()).as("the Apps tab says what happened").startsWith("Installed Test Chat");
                fingerprint = app.findElement(By.cssSelector(".fingerprint")).getText();
                browser.screenshot(Path.of("target", "screenshots", "popup-apps.png"));
            }
        }
        JsonNode installed = daemonA.call("apps.list", JsonRpcCodec.mapper().createObjectNode()).get("apps").get(0);
        assertThat(installed.get("id").asText()).isEqualTo(APP_ID);
        assertThat(fingerprint).isEqualTo(installed.get("fingerprint").asText());

        AppPage a = AppPage.open(browserA, pages);
        a.fill("capabilities", "stream:" + PROTOCOL);
        int n = a.clickLater("request-access");
        try (PromptWindow prompt = PromptWindow.awaitOpen(browserA)) {
            assertThat(prompt.text("requester")).isEqualTo("Test Chat");
            assertThat(prompt.text("fingerprint")).isEqualTo(fingerprint);
            assertThat(prompt.text("capabilities")).contains("\"" + PROTOCOL + "\"");
            prompt.screenshot(Path.of("target", "screenshots", "prompt-app.png"));
            prompt.click("approve");
        }
        assertThat(a.awaitResult(n).ok()).isTrue();
        a.focus();
        assertThat(browserA.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.apps.current().then((app) => done(app && app.name), (e) => done('error ' + e.code));""")).isEqualTo("Test Chat");
        assertThat(browserA.asyncScript(HANDLE_ECHO, PROTOCOL)).isNull();

        AppPage b = AppPage.open(browserB, pages);
        assertThat(b.requestAccess("stream:" + PROTOCOL, true).ok()).isTrue();
        b.focus();
        @SuppressWarnings("unchecked")
        Map<String, Object> exchange = (Map<String, Object>) browserB.asyncScript(OPEN_AND_TALK, daemonA.peerId(), PROTOCOL, "hello from B");
        assertThat(exchange).as(String.valueOf(exchange)).containsEntry("reply", "echo:hello from B")
                .containsEntry("rest", "").containsEntry("closed", null);
        a.focus();
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> "ended".equals(browserA.script("return window.serverLog[0]?.outcome")));
        assertThat(browserA.script("return window.serverLog[0].received")).isEqualTo("hello from B");
        assertThat(browserA.script("return window.serverLog[0].peerId")).isEqualTo(daemonB.peerId());

        b.focus();
        printStreamFigures(PROTOCOL);
        closeTab(browserA, a);
        closeTab(browserB, b);
    }

    @Test
    @EnabledIf("appsServed")
    @Order(2)
    void revokingInThePopupEndsTheOpenStreamAndTheNextCallIsRefused() throws Exception {
        AppPage a = AppPage.open(browserA, pages);
        a.focus();
        assertThat(browserA.asyncScript(HANDLE_ECHO, PROTOCOL)).isNull();
        AppPage b = AppPage.open(browserB, pages);
        b.focus();
        assertThat(browserB.asyncScript(OPEN_AND_KEEP, daemonA.peerId(), PROTOCOL)).isEqualTo("echo:ping");
        a.focus();
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> "ping".equals(browserA.script("return window.serverLog[0]?.received")));

        String principal = principalOf(daemonA, "stream:" + PROTOCOL);
        try (PopupPage popup = PopupPage.open(browserA)) {
            popup.revoke(principal, "stream:" + PROTOCOL);
        }
        a.focus();
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> "error 4100".equals(browserA.script("return window.serverLog[0].outcome")));
        assertThat(browserA.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.streams.handle(arguments[0], () => {}).then(() => done('handled'), (e) => done(e.code));""", PROTOCOL))
                .isEqualTo(4100L);
        b.focus();
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> browserB.script("return window.kept.outcome") != null);
        assertThat(String.valueOf(browserB.script("return window.kept.outcome"))).as("the remote side sees the stream end")
                .matches("ended|error 4900");
        closeTab(browserA, a);
        closeTab(browserB, b);
    }

    @Test
    @EnabledIf("appsServed")
    @Order(3)
    void allowOnceEndsWithThePageWhileAlwaysAllowOutlivesIt() throws Exception {
        AppPage page = AppPage.open(browserA, pages);
        page.fill("capabilities", "storage");
        int n = page.clickLater("request-access");
        try (PromptWindow prompt = PromptWindow.awaitOpen(browserA)) {
            prompt.click("allow-once");
        }
        assertThat(page.awaitResult(n).ok()).isTrue();
        page.focus();
        assertThat(browserA.asyncScript(STORAGE_PUT_GET, "note", "kept for this page")).isEqualTo("kept for this page");
        String principal = principalOf(daemonA, "storage");
        try (PopupPage popup = PopupPage.open(browserA)) {
            assertThat(popup.grants()).anyMatch(g -> g.startsWith(principal + " storage") && g.contains("until the page closes"));
        }

        page.focus();
        browserA.driver().navigate().refresh();
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> !hasGrant(daemonA, principal, "storage"));
        assertThat(page.requestErrorCode("storage.get", "{\"key\":\"note\"}")).isEqualTo(4100L);

        assertThat(page.requestAccess("storage", true).ok()).isTrue();
        page.focus();
        browserA.driver().navigate().refresh();
        assertThat(browserA.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.storage.get('note').then((v) => done(v && new TextDecoder().decode(v)), (e) => done('error ' + e.code));"""))
                .as("data stored under allow-once is still the app's").isEqualTo("kept for this page");
        assertThat(hasGrant(daemonA, principal, "storage")).as("always allow outlives the page").isTrue();
        assertThat(browserA.asyncScript("""
                const done = arguments[arguments.length - 1];
                (async () => {
                  await p2p.storage.put('second', new Uint8Array([1, 2, 3]));
                  const keys = await p2p.storage.list();
                  const deleted = await p2p.storage.delete('second');
                  return {keys: keys.sort(), deleted, after: await p2p.storage.get('second')};
                })().then(done, (e) => done('error ' + e.code + ' ' + e.message));"""))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("keys", java.util.List.of("note", "second"))
                .containsEntry("deleted", true)
                .containsEntry("after", null);
        closeTab(browserA, page);
    }

    /** Closes the page's tab (its page session ends: the service worker drops its handlers and streams). */
    static void closeTab(ChromiumBrowser browser, AppPage page) {
        browser.driver().switchTo().window(page.handle()).close();
        browser.driver().switchTo().window(browser.driver().getWindowHandles().iterator().next());
    }

    /** The principal the daemon stored {@code capability} under ({@code app:<id>} for the installed app). */
    static String principalOf(DaemonProcess daemon, String capability) throws Exception {
        for (JsonNode grant : daemon.call("grants.list", JsonRpcCodec.mapper().createObjectNode()).get("grants")) {
            if (grant.get("capability").asText().equals(capability)) return grant.get("origin").asText();
        }
        throw new AssertionError("no grant " + capability);
    }

    static boolean hasGrant(DaemonProcess daemon, String principal, String capability) throws Exception {
        for (JsonNode grant : daemon.call("grants.list", JsonRpcCodec.mapper().createObjectNode()).get("grants")) {
            if (grant.get("origin").asText().equals(principal) && grant.get("capability").asText().equals(capability)) return true;
        }
        return false;
    }

    /** Page A: handle the protocol, echo every chunk as "echo:<chunk>", close when the remote closes. */
    static final String HANDLE_ECHO = """
            const done = arguments[arguments.length - 1];
            window.serverLog = [];
            p2p.streams.handle(arguments[0], async (stream) => {
              const entry = {peerId: stream.peerId, received: '', outcome: null};
              window.serverLog.push(entry);
              try {
                for await (const chunk of stream) {
                  const text = new TextDecoder().decode(chunk);
                  entry.received += text;
                  await stream.write('echo:' + text);
                }
                await stream.close();
                entry.outcome = 'ended';
              } catch (e) { entry.outcome = 'error ' + e.code; }
            }).then(() => done(null), (e) => done(e.code + ' ' + e.message));""";

    /** Page B: open, write, read the echo, close (FIN), read to the end. */
    static final String OPEN_AND_TALK = """
            const done = arguments[arguments.length - 1];
            const [peerId, protocol, text] = arguments;
            (async () => {
              const stream = await p2p.streams.open(peerId, protocol);
              await stream.write(text);
              let reply = '';
              while (reply.length < ('echo:' + text).length) {
                const chunk = await stream.read();
                if (chunk === null) break;
                reply += new TextDecoder().decode(chunk);
              }
              await stream.close();
              let rest = '';
              for (let c = await stream.read(); c !== null; c = await stream.read()) rest += new TextDecoder().decode(c);
              const closed = await stream.closed;
              return {reply, rest, closed: closed.reason};
            })().then(done, (e) => done({error: e.code + ' ' + e.message}));""";

    /** Page B: open, write "ping", read the echo, keep the stream open and note how it ends in window.kept. */
    static final String OPEN_AND_KEEP = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const stream = await p2p.streams.open(arguments[0], arguments[1]);
              window.kept = {stream, outcome: null};
              await stream.write('ping');
              const reply = new TextDecoder().decode(await stream.read());
              (async () => {
                try {
                  while ((await stream.read()) !== null) { /* drain */ }
                  window.kept.outcome = 'ended';
                } catch (e) { window.kept.outcome = 'error ' + e.code; }
              })();
              return reply;
            })().then(done, (e) => done('error ' + e.code + ' ' + e.message));""";

    /** Page B: 5 warm-up then 30 timed write → echo round trips on one stream; returns ms per round trip. */
    static final String ECHO_ROUND_TRIPS = """
            const done = arguments[arguments.length - 1];
            (async () => {
              const stream = await p2p.streams.open(arguments[0], arguments[1]);
              const ms = [];
              for (let i = 0; i < 35; i++) {
                const t0 = performance.now();
                await stream.write('x');
                const reply = await stream.read();
                if (reply === null) throw new Error('stream ended');
                if (i >= 5) ms.push(performance.now() - t0);
              }
              await stream.close();
              return ms;
            })().then(done, (e) => done([e.code]));""";

    /** Page B: write `total` bytes in 256 KiB writes while reading the echo back; returns the seconds for both ways. */
    static final String BULK = """
            const done = arguments[arguments.length - 1];
            const [peerId, protocol, total] = arguments;
            (async () => {
              const stream = await p2p.streams.open(peerId, protocol);
              const chunk = new Uint8Array(256 * 1024).fill(120);
              const t0 = performance.now();
              let echoed = 0;
              const reading = (async () => {
                // every chunk comes back prefixed with "echo:" (5 bytes) per chunk the server read
                for await (const c of stream) echoed += c.length;
              })();
              for (let sent = 0; sent < total; sent += chunk.length) await stream.write(chunk);
              await stream.close();
              await reading;
              return {seconds: (performance.now() - t0) / 1000, echoed};
            })().then(done, (e) => done({error: e.code + ' ' + e.message}));""";

    /** Page: storage.put(key, text) then storage.get(key) as text. */
    static final String STORAGE_PUT_GET = """
            const done = arguments[arguments.length - 1];
            (async () => {
              await p2p.storage.put(arguments[0], arguments[1]);
              return new TextDecoder().decode(await p2p.storage.get(arguments[0]));
            })().then(done, (e) => done('error ' + e.code + ' ' + e.message));""";
}
