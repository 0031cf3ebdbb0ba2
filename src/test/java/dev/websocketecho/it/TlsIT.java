package dev.websocketecho.it;

import dev.websocketecho.testing.Chromium;
import dev.websocketecho.testing.EchoClient;
import dev.websocketecho.testing.Payloads;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The development server over TLS: Payara Micro started with {@code --sslport} and the self-signed certificate that
 * the build makes ({@code deploy/payara-micro/dev-certificate.sh}), as {@code ./mvnw package payara-micro:start} runs
 * it. Clients trust exactly that certificate, nothing more.
 */
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "payara-micro")
class TlsIT extends DeployedWar {

    private static KeyStore keystore;
    private static Certificate certificate;

    @BeforeAll
    static void loadTheCertificate() throws Exception {
        keystore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(System.getProperty("tls.keystore")))) {
            keystore.load(in, "changeit".toCharArray());
        }
        certificate = keystore.getCertificate("websocket-echo");
    }

    private static int httpsPort() {
        return Integer.parseInt(System.getProperty("it.https.port"));
    }

    @Test
    void echoesOverWssTrustingTheDevelopmentCertificate() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("websocket-echo", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(30)).build();

        URI wss = URI.create("wss://127.0.0.1:" + httpsPort() + "/websocket-echo/echo");
        ByteBuffer bytes = Payloads.randomBytes(100_000, 7);
        try (EchoClient client = EchoClient.connect(https, wss, Map.of())) {
            client.sendText(Payloads.UNICODE);
            assertEquals(Payloads.UNICODE, client.nextText());
            client.sendBinary(bytes.duplicate());
            assertEquals(bytes, client.nextBinary());
        }
    }

    @Test
    void thePageLoadedOverHttpsConnectsWithWssByItself() throws Exception {
        String spki = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded()));
        ChromeDriver browser = Chromium.start("--ignore-certificate-errors-spki-list=" + spki);
        try {
            String page = "https://127.0.0.1:" + httpsPort() + "/websocket-echo/";
            browser.get(page);
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
            wait.until(driver -> "open".equals(driver.findElement(By.id("status")).getDomAttribute("data-state")));
            assertEquals("wss://127.0.0.1:" + httpsPort() + "/websocket-echo/echo",
                    browser.findElement(By.id("url")).getDomProperty("value"));
            browser.findElement(By.id("message")).sendKeys("over TLS", Keys.ENTER);
            wait.until(driver -> logLines(driver).stream().anyMatch(line -> line.matches("Echo in \\d+ ms, text: over TLS")));
        } finally {
            browser.quit();
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> logLines(org.openqa.selenium.WebDriver browser) {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('#log li'), li => li.lastChild.textContent)");
    }
}
