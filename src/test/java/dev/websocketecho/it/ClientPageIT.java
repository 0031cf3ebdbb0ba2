package dev.websocketecho.it;

import dev.websocketecho.testing.Chromium;
import dev.websocketecho.testing.EmbeddedEchoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page as a person uses it: Debian's Chromium loads it from the deployed WAR, connects, echoes, is refused, loses
 * its server and gets it back. It is the same page on every container, so this runs with the development server,
 * Payara Micro, alone.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "payara-micro")
class ClientPageIT extends DeployedWar {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static ChromeDriver browser;

    @RegisterExtension
    final TestWatcher screenshotOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                Chromium.screenshot(browser, SCREENSHOTS.resolve(context.getDisplayName().replaceAll("\\W", "") + ".png"));
            }
        }
    };

    @BeforeAll
    static void startBrowser() {
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void loadsWithoutConsoleErrorsDerivesItsWebSocketUrlAndOpens() {
        load("");
        awaitState("open");
        assertEquals(echoUri().toString(), byId("url").getDomProperty("value"));
        awaitLog("Open: " + echoUri());
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .toList();
        assertEquals(List.of(), errors);
    }

    @Test
    void echoesTextWithEmojiAndCjkAndShowsTheRoundTripTime() {
        load("");
        awaitState("open");
        type("Hello from Chromium 😀 你好 世界");
        byId("message").sendKeys(Keys.ENTER);
        awaitLog("Sent text: Hello from Chromium 😀 你好 世界");
        awaitLogMatching("Echo in \\d+ ms, text: Hello from Chromium 😀 你好 世界");
        Chromium.screenshot(browser, SCREENSHOTS.resolve("client.png"));
    }

    @Test
    void echoesBinaryAndShowsItsByteLength() {
        load("");
        awaitState("open");
        type("bytes ✓");
        byId("send-binary").click();
        awaitLogMatching("Echo in \\d+ ms, binary \\(9 bytes\\): bytes ✓");
    }

    @Test
    void showsA1009CloseReconnectsAndDoesNotSendTheRefusedMessageAgain() {
        load("");
        awaitState("open");
        js("document.getElementById('message').value = 'x'.repeat(1048577)");
        byId("send-text").click();
        String reason = "1009 Message too big: the limit is 1048576 bytes";
        awaitLog("Closed: " + reason);
        awaitState("open");
        type("after the refusal");
        byId("send-text").click();
        awaitLogMatching("Echo in \\d+ ms, text: after the refusal");
        assertEquals(1, countLog("Sent text: xxxxxxxxxx"), "the refused message was sent again");
    }

    @Test
    void usesTheUrlParameterExactlyAsGiven() {
        String target = "ws://127.0.0.1:" + echoUri().getPort() + "/websocket-echo/echo?room=a_b%20c&n=1";
        load("?url=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        awaitState("open");
        assertEquals(target, byId("url").getDomProperty("value"));
        awaitLog("Open: " + target);
        type("through the given URL");
        byId("send-text").click();
        awaitLogMatching("Echo in \\d+ ms, text: through the given URL");
    }

    @Test
    void refusesAUrlParameterThatIsNotAWebSocketUrl() {
        load("?url=" + URLEncoder.encode("http://127.0.0.1/websocket-echo/echo", StandardCharsets.UTF_8));
        WebElement error = byId("error");
        new WebDriverWait(browser, WAIT).until(driver -> error.isDisplayed());
        assertTrue(error.getText().contains("Not a WebSocket URL"), error.getText());
        assertEquals("closed", byId("status").getDomAttribute("data-state"));
    }

    @Test
    void reconnectsWithBackoffAfterAnOutageAndSendsWhatWasQueuedExactlyOnce() throws Exception {
        int port;
        // A server the test can stop and start again where it was: the page and the endpoint on Tyrus' embedded one.
        try (EmbeddedEchoServer first = EmbeddedEchoServer.start()) {
            port = first.port();
            browser.get(first.pageUri().toString());
            awaitState("open");
        }
        awaitState("reconnecting");
        assertTrue(byId("status").getText().matches("closed \\(1006\\), reconnecting in \\d+\\.\\d s"),
                byId("status").getText());
        type("written offline 1");
        byId("message").sendKeys(Keys.ENTER);
        type("written offline 2");
        byId("send-binary").click();
        assertEquals("2", byId("queued").getText());

        try (EmbeddedEchoServer second = EmbeddedEchoServer.startOn(port)) {
            awaitState("open");
            awaitLogMatching("Echo in \\d+ ms, text: written offline 1");
            awaitLogMatching("Echo in \\d+ ms, binary \\(17 bytes\\): written offline 2");
            assertEquals("0", byId("queued").getText());
            type("back online");
            byId("send-text").click();
            awaitLogMatching("Echo in \\d+ ms, text: back online");
            assertEquals(1, countLogMatching("Echo in \\d+ ms, text: written offline 1"));
            assertEquals(1, countLogMatching("Echo in \\d+ ms, binary \\(17 bytes\\): written offline 2"));
        }
    }

    @Test
    void disconnectStopsReconnectingAndConnectStartsAgain() {
        load("");
        awaitState("open");
        byId("disconnect").click();
        awaitLog("Closed: 1000 Disconnected by the user");
        assertEquals("closed", byId("status").getDomAttribute("data-state"));
        // The first reconnection would come within a second; give it three.
        assertThrows(TimeoutException.class, () -> new WebDriverWait(browser, Duration.ofSeconds(3))
                .until(driver -> !"closed".equals(byId("status").getDomAttribute("data-state"))));
        byId("connect").click();
        awaitState("open");
        type("connected again");
        byId("send-text").click();
        awaitLogMatching("Echo in \\d+ ms, text: connected again");
    }

    private void load(String query) {
        browser.get(httpBase() + query);
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** ChromeDriver types only characters of the Basic Multilingual Plane, so the text is set, not typed. */
    private void type(String text) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", byId("message"), text);
    }

    private void awaitState(String state) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "status " + state + ", but it shows "
                        + byId("status").getText())
                .until(driver -> state.equals(byId("status").getDomAttribute("data-state")));
    }

    @SuppressWarnings("unchecked")
    private List<String> logLines() {
        return (List<String>) js("return Array.from(document.querySelectorAll('#log li'), "
                + "li => li.lastChild.textContent)");
    }

    private void awaitLog(String line) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "a log line " + line + " in " + logLines())
                .until(driver -> logLines().contains(line));
    }

    private void awaitLogMatching(String regex) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "a log line like " + regex + " in " + logLines())
                .until(driver -> countLogMatching(regex) > 0);
    }

    private long countLog(String prefix) {
        return logLines().stream().filter(line -> line.startsWith(prefix)).count();
    }

    private long countLogMatching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return logLines().stream().filter(line -> pattern.matcher(line).matches()).count();
    }
}
