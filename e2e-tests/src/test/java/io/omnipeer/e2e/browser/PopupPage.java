package io.omnipeer.e2e.browser;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.nio.file.Path;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * The toolbar popup ({@code popup.html}) open in a tab, driven as a user would: tabs, the manifest file input,
 * app buttons, grant Revoke buttons. Every action first switches to the popup's tab. Not thread-safe.
 */
final class PopupPage implements AutoCloseable {

    private final ChromiumBrowser browser;
    private final String handle;
    private final String returnTo;

    private PopupPage(ChromiumBrowser browser, String handle, String returnTo) {
        this.browser = browser;
        this.handle = handle;
        this.returnTo = returnTo;
    }

    /** Opens the popup in a new tab and waits until it shows its tabs (daemon reachable). */
    static PopupPage open(ChromiumBrowser browser) {
        String returnTo = browser.driver().getWindowHandle();
        String handle = browser.openTab(OmnipeerExtension.url("popup.html"));
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> browser.driver().findElement(By.id("tabs")).isDisplayed());
        return new PopupPage(browser, handle, returnTo);
    }

    void focus() {
        browser.driver().switchTo().window(handle);
    }

    /** Clicks a tab: "node", "apps", "permissions" or "settings". */
    void tab(String name) {
        focus();
        browser.click("tab-" + name);
    }

    /** Chooses {@code manifest} in the Apps tab's file input, as a user picking the file. */
    void chooseManifestFile(Path manifest) {
        tab("apps");
        browser.driver().findElement(By.id("manifest-file")).sendKeys(manifest.toAbsolutePath().toString());
    }

    /** The installed app's list item, once shown. */
    WebElement awaitApp(String appId) {
        focus();
        By item = By.cssSelector("li.app[data-app-id='" + appId + "']");
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> !browser.driver().findElements(item).isEmpty());
        return browser.driver().findElement(item);
    }

    /** Text of the Apps tab's status line. */
    String appsMessage() {
        focus();
        return browser.driver().findElement(By.id("apps-message")).getText();
    }

    /** Clicks Revoke on one grant in the Permissions tab and waits until it is gone from the list. */
    void revoke(String principal, String capability) {
        tab("permissions");
        By button = By.cssSelector("button.revoke-one[data-origin='" + principal + "'][data-capability='" + capability + "']");
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> !browser.driver().findElements(button).isEmpty());
        browser.driver().findElement(button).click();
        await().atMost(ChromiumBrowser.UI_TIMEOUT).until(() -> browser.driver().findElements(button).isEmpty());
    }

    /** The grant rows of the Permissions tab as "principal capability expiry-text". */
    List<String> grants() {
        tab("permissions");
        return browser.driver().findElements(By.cssSelector("#grant-list li.grant")).stream()
                .map(li -> li.findElement(By.xpath("ancestor::li[@data-origin]")).getDomAttribute("data-origin") + " "
                        + li.getDomAttribute("data-capability") + " " + li.findElement(By.cssSelector(".expiry")).getText())
                .toList();
    }

    @Override
    public void close() {
        focus();
        browser.driver().close();
        browser.driver().switchTo().window(returnTo);
    }
}
