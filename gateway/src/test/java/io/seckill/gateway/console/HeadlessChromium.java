package io.seckill.gateway.console;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Debian's {@code chromium}, headless, driven through Debian's {@code chromium-driver}, emulating
 * a phone-sized screen. Both binaries come from the machine: no browser or driver is downloaded
 * (Selenium Manager is never asked), and a missing one fails the test with what to install.
 */
final class HeadlessChromium {

  static final String INSTALL = "apt-get install chromium chromium-driver (./seckill test installs them)";

  private HeadlessChromium() {
  }

  /** A fresh browser profile in {@code profile}, a CSS viewport of {@code width} x {@code height}. */
  static ChromeDriver start(Path profile, int width, int height) throws IOException {
    Path browser = onPath("chromium");
    Path driver = onPath("chromedriver");
    Files.createDirectories(profile);
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser.toFile());
    // the flags that run Debian's chromium headless as root (shared FACTS)
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath());
    // a phone: the page's viewport meta tag counts, as on a real one
    options.setExperimentalOption("mobileEmulation", Map.of(
        "deviceMetrics", Map.of("width", width, "height", height, "pixelRatio", 2.0, "touch", true),
        "userAgent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko)"
            + " Chrome/156.0 Mobile Safari/537.36"));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(driver.toFile())
        .usingAnyFreePort()
        .withTimeout(Duration.ofSeconds(60))
        .build();
    ChromeDriver chrome = new ChromeDriver(service, options);
    chrome.manage().timeouts().scriptTimeout(Duration.ofSeconds(30)).pageLoadTimeout(Duration.ofSeconds(60));
    return chrome;
  }

  private static Path onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail("the operator console test needs '" + command + "' on the PATH: " + INSTALL);
  }
}
