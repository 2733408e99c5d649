package org.televisit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.televisit.support.Chromium.inbound;
import static org.televisit.support.Chromium.screenshot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.televisit.support.Chromium;
import org.televisit.support.FreePort;
import org.televisit.support.TelevisitRun;

/**
 * Televisit as a hospital runs it behind a TLS-terminating proxy: Debian's HAProxy ends HTTPS on
 * its own port and forwards plain HTTP with X-Forwarded-For/-Proto to `./televisit run`, which has
 * its public URL on the proxy and trusts that proxy alone. The launch's redirects, the session
 * cookie, the patient's link and the video relay all work through the proxy. Screenshots:
 * target/e2e-proxy/.
 */
class VisitBehindATlsProxyIT {

  static final String SHOTS = "e2e-proxy";
  static Path dir;
  static Process haproxy;
  static TelevisitRun televisit;
  static String proxy;
  WebDriver clinician;
  WebDriver patient;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("televisit-proxy");
    run(
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
        "-keyout",
        dir.resolve("key.pem").toString(),
        "-out",
        dir.resolve("cert.pem").toString());
    Files.writeString(
        dir.resolve("proxy.pem"),
        Files.readString(dir.resolve("cert.pem")) + Files.readString(dir.resolve("key.pem")));
    // the JVM trusts the proxy's certificate: the sandbox EHR is reached at the public (proxy) URL
    run(
        "keytool",
        "-importcert",
        "-noprompt",
        "-alias",
        "proxy",
        "-file",
        dir.resolve("cert.pem").toString(),
        "-keystore",
        dir.resolve("trust.p12").toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        "changeit");
    int proxyPort = FreePort.pick();
    proxy = "https://localhost:" + proxyPort;
    // Televisit first (it needs the proxy only once a browser launches), then the proxy in front of
    // it
    televisit =
        TelevisitRun.start(
            Duration.ofMinutes(4),
            Map.of(
                "TELEVISIT_JAVA_OPTS",
                "-Xmx512m -XX:+UseSerialGC -Djavax.net.ssl.trustStore="
                    + dir.resolve("trust.p12")
                    + " -Djavax.net.ssl.trustStorePassword=changeit -Djavax.net.ssl.trustStoreType=PKCS12",
                "TELEVISIT_PUBLIC_URL",
                proxy,
                "TELEVISIT_TRUSTED_PROXIES",
                "127\\.0\\.0\\.1"));
    Files.writeString(
        dir.resolve("haproxy.cfg"),
        """
        defaults
          mode http
          timeout connect 5s
          # long polls (/video/janus, ~30 s) and the console's presence stream stay open
          timeout client 1h
          timeout server 1h
          option forwardfor
        frontend tls
          bind 127.0.0.1:%d ssl crt %s
          http-request set-header X-Forwarded-Proto https
          default_backend app
        backend app
          server app 127.0.0.1:%d
        """
            .formatted(proxyPort, dir.resolve("proxy.pem"), televisit.port()));
    haproxy =
        new ProcessBuilder("haproxy", "-db", "-f", dir.resolve("haproxy.cfg").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("haproxy.log").toFile())
            .start();
    Thread.sleep(500);
    assertThat(haproxy.isAlive()).as(Files.readString(dir.resolve("haproxy.log"))).isTrue();
  }

  static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0)
        .as(String.join(" ", command) + ": " + out)
        .isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (televisit != null) {
      televisit.close();
    }
    if (haproxy != null) {
      haproxy.destroy();
    }
  }

  @AfterEach
  void close() throws Exception {
    if (clinician != null) {
      screenshot(clinician, SHOTS, "last-clinician.png");
    }
    if (patient != null) {
      screenshot(patient, SHOTS, "last-patient.png");
    }
    Chromium.quit(clinician, patient);
  }

  @Test
  void aVisitThroughTheProxy() throws Exception {
    clinician = Chromium.open(Chromium.DESKTOP, dir.resolve("cert.pem"));
    clinician.get(proxy + "/");
    new WebDriverWait(clinician, Duration.ofSeconds(90))
        .until(
            d ->
                d.findElements(By.cssSelector("#appointment option[data-practitioner]")).size()
                    > 0);
    assertThat(clinician.getCurrentUrl())
        .as("the redirect from / stays on the proxy's https")
        .startsWith(proxy + "/sandbox");
    WebElement visit =
        clinician.findElements(By.cssSelector("#appointment option[data-practitioner]")).get(0);
    new Select(clinician.findElement(By.id("appointment")))
        .selectByValue(visit.getDomAttribute("value"));
    new Select(clinician.findElement(By.id("app"))).selectByValue("televisit");
    clinician.findElement(By.id("launch")).click();
    WebDriverWait wait = new WebDriverWait(clinician, Duration.ofSeconds(20));
    wait.ignoring(StaleElementReferenceException.class);
    wait.until(
        d ->
            d.getCurrentUrl().equals(proxy + "/console")
                && !d.findElement(By.id("patient-name")).getText().isBlank());
    assertThat(clinician.findElement(By.id("message")).getText()).isEmpty();
    var cookie = clinician.manage().getCookieNamed("JSESSIONID");
    assertThat(cookie.isSecure()).as("the session cookie is Secure behind the proxy").isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("None");

    clinician.findElement(By.id("copy-link")).click();
    wait.until(d -> d.findElement(By.id("patient-link")).getText().contains("/join/"));
    String link = clinician.findElement(By.id("patient-link")).getText().trim();
    assertThat(link).startsWith(proxy + "/join/");
    patient = Chromium.open(Chromium.PHONE, dir.resolve("cert.pem"));
    patient.get(link);
    new WebDriverWait(patient, Duration.ofSeconds(20))
        .until(d -> d.findElement(By.id("devices")).getText().contains("work"));

    By patientRow = By.cssSelector("li[data-participant^='Patient/']");
    wait.until(d -> "waiting".equals(d.findElement(patientRow).getDomAttribute("data-state")));
    clinician.findElement(By.id("start")).click();
    wait.until(
        d -> {
          d.findElement(By.cssSelector("li[data-participant^='Patient/'] button.admit")).click();
          return true;
        });
    new WebDriverWait(clinician, Duration.ofSeconds(30)).until(d -> inbound(d) > 0);
    new WebDriverWait(patient, Duration.ofSeconds(30)).until(d -> inbound(d) > 0);
    wait.until(d -> "connected".equals(d.findElement(patientRow).getDomAttribute("data-state")));
    Thread.sleep(1000);
    screenshot(clinician, SHOTS, "01-console-through-the-proxy.png");
    screenshot(patient, SHOTS, "02-patient-through-the-proxy.png");
    clinician.findElement(By.id("end")).click();
    new WebDriverWait(patient, Duration.ofSeconds(5))
        .until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ended")));

    // the proxy's X-Forwarded-For is believed (it is the trusted proxy): the guess limit counts the
    // addresses it names, so 125 guesses from 125 addresses are not limited
    java.net.http.HttpClient direct = java.net.http.HttpClient.newHttpClient();
    String app = televisit.base();
    int limited = 0;
    for (int i = 0; i < 125; i++) {
      var request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(app + "/join/" + String.format("%043d", i)))
              .header("X-Forwarded-For", "203.0.113." + (i % 250))
              .build();
      if (direct.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()
          == 429) {
        limited++;
      }
    }
    assertThat(limited)
        .as("addresses named by the trusted proxy are each their own client")
        .isZero();
    assertThat(televisit.errorLines()).as("ERROR lines in " + televisit.log()).isEmpty();
    assertThat(List.of(Files.readString(dir.resolve("haproxy.log")).split("\n")))
        .noneMatch(l -> l.contains("[ALERT]"));
  }
}
