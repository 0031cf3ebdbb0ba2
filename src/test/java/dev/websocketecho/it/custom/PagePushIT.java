package dev.websocketecho.it.custom;

import dev.websocketecho.testing.Chromium;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.TopicChecks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the server pushes to the page, in Debian's Chromium: the live figures of the {@code _stats} topic, and the
 * Topics panel, to which a message POSTed over HTTP arrives with no action in the page. The page is the same on every
 * container, so this runs with the development server, Payara Micro, alone.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "payara-micro")
class PagePushIT extends WithCustomSettings {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOKEN = System.getenv("ECHO_PUBLISH_TOKEN");

    private static ChromeDriver browser;

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
    void showsAMessagePostedOverHttpWithNoActionInThePage() throws Exception {
        String topic = TopicChecks.freshTopic();
        subscribe(topic);
        HttpResponse<String> posted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        httpBase().resolve("api/topics/" + topic))
                .timeout(WAIT)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "text/plain; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("pushed over HTTP ✓")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, posted.statusCode(), posted.body());
        awaitTopicLog(topic + ": text: pushed over HTTP ✓");
        Chromium.screenshot(browser, Path.of("target", "screenshots", "push.png"));
    }

    @Test
    void publishesThroughItsSubscriptionAndReceivesItsOwnMessage() {
        String topic = TopicChecks.freshTopic();
        subscribe(topic);
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", byId("publication"),
                "from the page");
        byId("publish").click();
        awaitTopicLog(topic + ": text: from the page");
    }

    @Test
    void refusesAnInvalidTopicNameWithAMessage() {
        browser.get(httpBase().toString());
        byId("topic").clear();
        byId("topic").sendKeys("no spaces");
        byId("subscribe").click();
        WebElement error = byId("topic-error");
        new WebDriverWait(browser, WAIT).until(driver -> error.isDisplayed());
        assertEquals("Not a topic name (1 to 64 of A-Z a-z 0-9 . _ ~ -): no spaces", error.getText());
    }

    @Test
    void itsLiveFiguresChangeAsOtherClientsEcho() throws Exception {
        browser.get(httpBase().toString());
        new WebDriverWait(browser, WAIT).until(driver -> !"–".equals(byId("live-in").getText()));
        long before = Long.parseLong(byId("live-in").getText());
        try (EchoClient other = EchoClient.connect(echoUri())) {
            for (int i = 0; i < 10; i++) {
                other.sendText("moving the figures " + i);
                other.nextText();
            }
        }
        new WebDriverWait(browser, WAIT).withMessage(() -> "messages in to pass " + (before + 10) + ": "
                        + byId("live-in").getText())
                .until(driver -> Long.parseLong(byId("live-in").getText()) >= before + 10);
        new WebDriverWait(browser, WAIT).until(driver -> byId("live-in-rate").getText().matches("\\d+"));
    }

    private void subscribe(String topic) {
        browser.get(httpBase().toString());
        byId("topic").clear();
        byId("topic").sendKeys(topic);
        byId("subscribe").click();
        new WebDriverWait(browser, WAIT).withMessage(() -> "subscribed, but it shows " + byId("topic-status").getText())
                .until(driver -> "open".equals(byId("topic-status").getDomAttribute("data-state")));
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    @SuppressWarnings("unchecked")
    private void awaitTopicLog(String line) {
        new WebDriverWait(browser, WAIT).withMessage(() -> "a line " + line + " in the topic's log")
                .until(driver -> ((List<String>) ((JavascriptExecutor) browser).executeScript(
                        "return Array.from(document.querySelectorAll('#topic-log li'), li => li.textContent)"))
                        .contains(line));
    }
}
