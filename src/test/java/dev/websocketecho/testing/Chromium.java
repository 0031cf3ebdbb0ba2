package dev.websocketecho.testing;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;

/**
 * Debian's headless Chromium, driven through Debian's chromedriver (the two come from one build, so they match and
 * nothing is downloaded), with a fresh profile and no network access of its own beyond the pages it is sent to.
 */
public final class Chromium {

    private Chromium() {
    }

    /** @param extraArguments more command-line switches, such as one that trusts a test certificate */
    public static ChromeDriver start(String... extraArguments) {
        String chromium = Executables.require("chromium", "apt-get install chromium chromium-driver");
        String chromedriver = Executables.require("chromedriver", "apt-get install chromium chromium-driver");
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, chromedriver);
        Path profile;
        try {
            profile = Files.createTempDirectory("websocket-echo-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(chromium)
                .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--remote-debugging-pipe", "--window-size=1000,900", "--user-data-dir=" + profile)
                .addArguments(extraArguments);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** Saves what the browser shows as a PNG. */
    public static void screenshot(WebDriver browser, Path file) {
        try {
            Files.createDirectories(file.getParent());
            File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
