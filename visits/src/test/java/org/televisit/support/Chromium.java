package org.televisit.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's chromium through its chromedriver, headless, with a fake camera and microphone. */
public final class Chromium {

  public static final Dimension DESKTOP = new Dimension(1280, 900);
  public static final Dimension PHONE = new Dimension(390, 844);
  public static final Dimension SMALL_PHONE = new Dimension(360, 740);
  public static final Dimension TABLET = new Dimension(820, 1180);

  private Chromium() {}

  public static WebDriver open(Dimension size) throws Exception {
    return open(size, null);
  }

  /**
   * A browser that also trusts {@code certificate} (PEM; a run's self-signed one), as a user who
   * accepted it.
   */
  public static WebDriver open(Dimension size, Path certificate) throws Exception {
    return open(size, certificate, 1);
  }

  /** ... with {@code cameras} fake cameras (a phone's front and back: 2). */
  public static WebDriver open(Dimension size, Path certificate, int cameras) throws Exception {
    ChromeOptions options = new ChromeOptions();
    if (certificate != null) {
      options.addArguments("--ignore-certificate-errors-spki-list=" + spkiHash(certificate));
    }
    options.setBinary("/usr/bin/chromium");
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-ui-for-media-stream",
        cameras == 1
            ? "--use-fake-device-for-media-stream"
            : "--use-fake-device-for-media-stream=device-count=" + cameras,
        "--disable-dev-shm-usage",
        "--user-data-dir=" + Files.createTempDirectory("televisit-chromium"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().window().setSize(size);
    return driver;
  }

  private static String spkiHash(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      var cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(cert.getPublicKey().getEncoded());
      return java.util.Base64.getEncoder().encodeToString(digest);
    }
  }

  /**
   * Bytes of media received so far by the page's video (TelevisitVideo), -1 when it cannot tell.
   */
  public static long inbound(WebDriver driver) {
    Object bytes =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1]; TelevisitVideo.inboundBytes().then(done).catch(() => done(-1));");
    return ((Number) bytes).longValue();
  }

  /** Bytes of one kind of media ("audio", "video") received so far by the page's video. */
  public static long inbound(WebDriver driver, String kind) {
    Object bytes =
        ((JavascriptExecutor) driver)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1]; TelevisitVideo.inboundBytes(arguments[0]).then(done).catch(() => done(-1));",
                kind);
    return ((Number) bytes).longValue();
  }

  /** Live camera or microphone tracks the page still holds (0 once everything is released). */
  public static long liveCaptureTracks(WebDriver driver) {
    Object n =
        ((JavascriptExecutor) driver).executeScript("return TelevisitVideo.liveCaptureTracks();");
    return ((Number) n).longValue();
  }

  /** The page's full width in CSS pixels: wider than the window means horizontal scrolling. */
  public static long scrollWidth(WebDriver driver) {
    return ((Number)
            ((JavascriptExecutor) driver)
                .executeScript("return document.documentElement.scrollWidth;"))
        .longValue();
  }

  public static void screenshot(WebDriver driver, String folder, String name) throws Exception {
    Path dir = Path.of("target", folder);
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
  }

  public static void quit(WebDriver... drivers) {
    for (WebDriver d : drivers) {
      if (d != null) {
        try {
          d.quit();
        } catch (RuntimeException e) {
          // already gone
        }
      }
    }
  }
}
