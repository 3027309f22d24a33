package io.omnipeer.e2e.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * The test chat app ({@code pages/app.html}) open in one tab, driven through its buttons as a user
 * would. Every action first switches the browser to this tab. Each button shows its outcome in
 * {@code #result} ({@code data-state} ok/error, {@code data-code}, {@code data-seq} counting finished actions).
 */
final class AppPage {

    /** What {@code #result} showed after an action. */
    record Result(String state, String code, String text) {
        boolean ok() {
            return "ok".equals(state);
        }
    }

    private final ChromiumBrowser browser;
    private final String handle;
    private final String origin;

    private AppPage(ChromiumBrowser browser, String handle, String origin) {
        this.browser = browser;
        this.handle = handle;
        this.origin = origin;
    }

    /** Opens the app of {@code pages} in a new tab. */
    static AppPage open(ChromiumBrowser browser, TestPages pages) {
        String handle = browser.openTab(pages.url("app.html"));
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() ->
                browser.driver().findElement(By.id("provider")).getText().equals("window.p2p: present"));
        return new AppPage(browser, handle, pages.origin());
    }

    String handle() {
        return handle;
    }

    String origin() {
        return origin;
    }

    void focus() {
        browser.driver().switchTo().window(handle);
    }

    void fill(String inputId, String value) {
        focus();
        WebElement input = browser.driver().findElement(By.id(inputId));
        input.clear();
        input.sendKeys(value);
    }

    /** Clicks a button and returns the action number to pass to {@link #awaitResult}. */
    int clickLater(String buttonId) {
        focus();
        int before = seq();
        browser.click(buttonId);
        return before + 1;
    }

    /** Clicks a button and waits for its outcome. */
    Result click(String buttonId) {
        return awaitResult(clickLater(buttonId));
    }

    /** Waits until action {@code n} finished and returns what it showed. */
    Result awaitResult(int n) {
        focus();
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> seq() >= n);
        WebElement result = browser.driver().findElement(By.id("result"));
        return new Result(result.getDomAttribute("data-state"), result.getDomAttribute("data-code"), result.getText());
    }

    /** Clicks Request access for {@code capabilities} and answers the permission prompt. */
    Result requestAccess(String capabilities, boolean approve) {
        fill("capabilities", capabilities);
        int n = clickLater("request-access");
        browser.answerPrompt(approve, handle);
        return awaitResult(n);
    }

    /** Texts of the messages the app received, in order. */
    List<String> messages() {
        focus();
        return browser.driver().findElements(By.cssSelector("#messages li")).stream().map(WebElement::getText).toList();
    }

    /** Runs {@code p2p.request({method, params})} in the page; returns the error code, or null on success. */
    Long requestErrorCode(String method, String paramsJson) {
        focus();
        Object code = browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.request({method: arguments[0], params: JSON.parse(arguments[1])})
                   .then(() => done(null), (e) => done(e.code));""", method, paramsJson);
        return (Long) code;
    }

    /** Runs {@code p2p.request({method, params})} in the page; returns the result as JSON, or "error <code>". */
    String requestResult(String method, String paramsJson) {
        focus();
        return (String) browser.asyncScript("""
                const done = arguments[arguments.length - 1];
                p2p.request({method: arguments[0], params: JSON.parse(arguments[1])})
                   .then((r) => done(JSON.stringify(r)), (e) => done('error ' + e.code));""", method, paramsJson);
    }

    private int seq() {
        return Integer.parseInt(browser.driver().findElement(By.id("result")).getDomAttribute("data-seq"));
    }
}
