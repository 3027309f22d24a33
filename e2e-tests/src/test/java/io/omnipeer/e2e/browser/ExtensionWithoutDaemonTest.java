package io.omnipeer.e2e.browser;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The extension in a real headless Chromium with no native host registered, i.e. the daemon is
 * unreachable: window.p2p is injected and frozen, announces itself, and every call fails fast with
 * 4900 instead of hanging; the popup shows the error and a Retry button.
 */
@EnabledIf("io.omnipeer.e2e.browser.ChromiumBrowser#installed")
class ExtensionWithoutDaemonTest {

    @TempDir
    static Path work;
    static TestPages pages;
    static ChromiumBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        pages = new TestPages();
        browser = ChromiumBrowser.start(work, Optional.empty());
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (pages != null) pages.close();
    }

    @Test
    void pageGetsAFrozenP2pObjectThatAnnouncesItself() {
        browser.driver().get(pages.url("app.html"));
        assertThat(browser.driver().findElement(By.id("provider")).getText()).isEqualTo("window.p2p: present");

        @SuppressWarnings("unchecked")
        Map<String, Object> shape = (Map<String, Object>) browser.script("""
                const before = window.p2p.request;
                try { window.p2p.request = () => 'hijacked'; } catch (e) {}
                try { window.p2p = {}; } catch (e) {}
                let announced = null;
                window.addEventListener('p2p:announceProvider', (e) => { announced = e.detail; });
                window.dispatchEvent(new Event('p2p:requestProvider'));
                return {
                  frozen: Object.isFrozen(window.p2p) && Object.isFrozen(window.p2p.pubsub),
                  unchanged: window.p2p.request === before,
                  helpers: ['request', 'requestAccess', 'peers', 'grants', 'on', 'off'].every((k) => typeof window.p2p[k] === 'function')
                    && typeof window.p2p.node.info === 'function' && typeof window.p2p.pubsub.subscribe === 'function'
                    && typeof window.p2p.pubsub.publish === 'function',
                  announcedName: announced && announced.info.name,
                  announcedSame: announced !== null && announced.provider === window.p2p,
                };""");
        assertThat(shape).containsEntry("frozen", true).containsEntry("unchanged", true).containsEntry("helpers", true)
                .containsEntry("announcedName", "Omnipeer").containsEntry("announcedSame", true);
    }

    @Test
    void callsFailWithDisconnectedInsteadOfHanging() {
        browser.driver().get(pages.url("app.html"));
        Object error = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.node.info().then((r) => done('resolved ' + JSON.stringify(r)),
                                      (e) => done(e.name + ' ' + e.code + ' ' + (e instanceof Error)));""");
        assertThat(error).isEqualTo("P2PError 4900 true");

        Object unknown = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.request({method: 'peers.connect', params: {multiaddr: '/ip4/127.0.0.1/tcp/1'}})
                   .then(() => done('resolved'), (e) => done(e.code));""");
        assertThat(unknown).isEqualTo(4100L);
        Object unsupported = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.request({method: 'no.such'}).then(() => done('resolved'), (e) => done(e.code));""");
        assertThat(unsupported).isEqualTo(4200L);
    }

    @Test
    void requestAccessNeedsAUserGestureAndFailsFastWithoutDaemon() {
        browser.driver().get(pages.url("app.html"));
        Object withoutGesture = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.requestAccess(['pubsub:chat']).then(() => done('resolved'), (e) => done(e.code));""");
        assertThat(withoutGesture).isEqualTo(-32600L);

        browser.click("request-access");
        WebElement result = browser.driver().findElement(By.id("result"));
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> "error".equals(result.getDomAttribute("data-state")));
        assertThat(result.getDomAttribute("data-code")).isEqualTo("4900");
    }

    @Test
    void popupShowsUnreachableDaemonWithRetry() throws Exception {
        String page = browser.driver().getWindowHandle();
        browser.openTab(OmnipeerExtension.url("popup.html"));
        WebElement unreachable = browser.driver().findElement(By.id("unreachable"));
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(unreachable::isDisplayed);
        assertThat(browser.driver().findElement(By.id("error-message")).getText())
                .startsWith("Cannot reach the Omnipeer daemon").contains("native messaging host not found");
        assertThat(browser.driver().findElement(By.id("node")).isDisplayed()).isFalse();
        browser.screenshot(Path.of("target", "screenshots", "popup-unreachable.png"));

        browser.click("retry");
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() ->
                browser.driver().findElement(By.id("status")).getText().equals("Not connected."));
        assertThat(unreachable.isDisplayed()).isTrue();
        browser.driver().close();
        browser.driver().switchTo().window(page);
    }
}
