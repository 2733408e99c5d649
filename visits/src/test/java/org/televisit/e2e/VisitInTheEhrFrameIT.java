package org.televisit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.televisit.support.Chromium.inbound;
import static org.televisit.support.Chromium.screenshot;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.televisit.support.Chromium;
import org.televisit.support.TelevisitRun;

/**
 * The visit as most clinicians really open it, and a phone on the same network: `./televisit run
 * --lan` (HTTPS with its generated certificate on this machine's network address, the embedded
 * defaults). The sandbox EHR's chart is opened at https://localhost — another site than the app's
 * https://&lt;address&gt; — and frames the app, as an EHR on its own origin does: launch, sign-in,
 * callback and console all inside that cross-site frame, camera included. The patient joins on a
 * phone-sized page through the network address, video relayed on the app's own origin. Screenshots:
 * target/e2e-frame/.
 */
class VisitInTheEhrFrameIT {

  static final String SHOTS = "e2e-frame";
  static TelevisitRun televisit;
  WebDriver clinician;
  WebDriver patient;

  @BeforeAll
  static void run() throws Exception {
    televisit = TelevisitRun.start(Duration.ofMinutes(4), "--lan");
  }

  @AfterAll
  static void stop() throws Exception {
    if (televisit != null) {
      televisit.close();
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

  /** Video bytes at {@code page} grow over 1.5 s, after 1.5 s for a new camera's first frames. */
  static void videoKeepsArriving(WebDriver page) throws InterruptedException {
    Thread.sleep(1500);
    long before = Chromium.inbound(page, "video");
    Thread.sleep(1500);
    assertThat(Chromium.inbound(page, "video")).as("video keeps arriving").isGreaterThan(before);
  }

  /** The label of the camera the page sends now ("" before it sends). */
  static String sendingVideo(WebDriver page) {
    Object label =
        ((org.openqa.selenium.JavascriptExecutor) page)
            .executeScript(
                "const v = TelevisitVideo.sending().find(s => s.kind === 'video'); return v ? v.label : '';");
    return String.valueOf(label);
  }

  @Test
  void aVisitWithTheConsoleInACrossSiteFrameAndThePatientOnTheNetworkAddress() throws Exception {
    String app = televisit.base();
    assertThat(app)
        .as("served on the network address")
        .startsWith("https://")
        .doesNotContain("localhost")
        .doesNotContain("127.0.0.1");
    String chart = "https://localhost:" + televisit.port();

    // the session cookie is one a cross-site frame may carry, kept to that frame
    HttpResponse<String> launcher;
    long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    do { // the launcher opens a session once the sandbox clinic has loaded
      Thread.sleep(500);
      launcher =
          televisit
              .http()
              .send(
                  HttpRequest.newBuilder(URI.create(app + "/sandbox"))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } while (!launcher.body().contains("form_token") && System.nanoTime() < until);
    assertThat(launcher.headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(
            cookie ->
                assertThat(cookie)
                    .contains("Secure")
                    .contains("SameSite=None")
                    .contains("Partitioned")
                    .contains("HttpOnly"));

    clinician = Chromium.open(Chromium.DESKTOP, televisit.certificate());
    clinician.get(chart + "/sandbox");
    new WebDriverWait(clinician, Duration.ofSeconds(90))
        .until(
            d ->
                d.findElements(By.cssSelector("#appointment option[data-practitioner]")).size()
                    > 0);
    WebElement visit =
        clinician.findElements(By.cssSelector("#appointment option[data-practitioner]")).get(0);
    String practitioner = visit.getDomAttribute("data-practitioner");
    new Select(clinician.findElement(By.id("appointment")))
        .selectByValue(visit.getDomAttribute("value"));
    new Select(clinician.findElement(By.id("app"))).selectByValue("televisit");
    clinician.findElement(By.id("embedded")).click();
    screenshot(clinician, SHOTS, "01-launcher.png");
    clinician.findElement(By.id("launch")).click();

    // the chart, on its own site, frames the app: the frame's first page is the EHR's sign-in (its
    // own
    // cookies are partitioned to this frame), then the console
    // the presence list is redrawn on every change: an element read mid-redraw is read again
    WebDriverWait wait = new WebDriverWait(clinician, Duration.ofSeconds(20));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    wait.until(d -> d.findElements(By.id("app")).size() == 1);
    assertThat(clinician.getCurrentUrl()).startsWith(chart);
    clinician.switchTo().frame("app");
    wait.until(
        d ->
            d.findElements(By.id("sign-in")).size() == 1
                || d.findElements(By.id("patient-name")).size() == 1);
    if (!clinician.findElements(By.id("sign-in")).isEmpty()) {
      assertThat(
              new Select(clinician.findElement(By.id("practitioner")))
                  .getFirstSelectedOption()
                  .getDomAttribute("value"))
          .isEqualTo(practitioner);
      clinician.findElement(By.id("sign-in")).click();
    }
    // (getCurrentUrl is the chart's: the frame's own address comes from inside it)
    wait.until(
        d ->
            (app + "/console")
                    .equals(
                        ((org.openqa.selenium.JavascriptExecutor) d)
                            .executeScript("return location.href"))
                && !d.findElement(By.id("patient-name")).getText().isBlank());
    assertThat(clinician.findElement(By.id("message")).getText()).isEmpty();
    clinician.switchTo().defaultContent();
    screenshot(clinician, SHOTS, "02-console-in-the-chart.png");
    clinician.switchTo().frame("app");

    // the patient's link says the network address; a phone opens it
    clinician.findElement(By.id("copy-link")).click();
    wait.until(d -> d.findElement(By.id("patient-link")).getText().contains("/join/"));
    String link = clinician.findElement(By.id("patient-link")).getText().trim();
    assertThat(link).startsWith(app + "/join/");
    // three fake cameras: Chromium's second fake camera is a depth camera (Y16) that WebRTC cannot
    // send, so the test uses the first and the third, as a phone's front and back
    patient = Chromium.open(Chromium.PHONE, televisit.certificate(), 3);
    patient.get(link);
    new WebDriverWait(patient, Duration.ofSeconds(20))
        .until(d -> d.findElement(By.id("devices")).getText().contains("work"));
    screenshot(patient, SHOTS, "03-patient-waiting-on-the-network-address.png");

    // start and admit inside the frame: camera and microphone work there, media flows both ways
    By patientRow = By.cssSelector("li[data-participant^='Patient/']");
    wait.until(d -> "waiting".equals(d.findElement(patientRow).getDomAttribute("data-state")));
    clinician.findElement(By.id("start")).click();
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> {
              d.findElement(By.cssSelector("li[data-participant^='Patient/'] button.admit"))
                  .click();
              return true;
            });
    WebDriverWait media = new WebDriverWait(clinician, Duration.ofSeconds(30));
    media.until(d -> inbound(d) > 0);
    new WebDriverWait(patient, Duration.ofSeconds(30)).until(d -> inbound(d) > 0);
    wait.until(d -> "connected".equals(d.findElement(patientRow).getDomAttribute("data-state")));
    assertThat(Chromium.liveCaptureTracks(clinician))
        .as("the framed console holds its camera and microphone")
        .isEqualTo(2);

    // in the call the phone picks its back camera from the list, then switches back with one press:
    // each time the clinician goes on receiving video, and the camera let go is released
    WebElement switchCamera = patient.findElement(By.id("switch-camera"));
    assertThat(switchCamera.isDisplayed()).as("several cameras: a switch").isTrue();
    String front = sendingVideo(patient);
    patient.findElement(By.cssSelector("details.devices-choice summary")).click();
    Select cameras = new Select(patient.findElement(By.id("camera-choice")));
    assertThat(cameras.getOptions()).hasSize(3);
    cameras.selectByIndex(2);
    String back = cameras.getFirstSelectedOption().getText();
    new WebDriverWait(patient, Duration.ofSeconds(10)).until(d -> sendingVideo(d).equals(back));
    assertThat(Chromium.liveCaptureTracks(patient)).as("the front camera was let go").isEqualTo(2);
    videoKeepsArriving(clinician);
    switchCamera.click(); // from the last camera on to the first
    new WebDriverWait(patient, Duration.ofSeconds(10)).until(d -> sendingVideo(d).equals(front));
    assertThat(Chromium.liveCaptureTracks(patient)).isEqualTo(2);
    videoKeepsArriving(clinician);
    // a moment without video while the camera changes is not a lost connection for long
    new WebDriverWait(clinician, Duration.ofSeconds(5))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> "connected".equals(d.findElement(patientRow).getDomAttribute("data-state")));
    clinician.switchTo().defaultContent();
    screenshot(clinician, SHOTS, "04-visit-in-the-chart.png");
    screenshot(patient, SHOTS, "05-patient-in-the-visit.png");
    clinician.switchTo().frame("app");

    clinician.findElement(By.id("end")).click();
    new WebDriverWait(patient, Duration.ofSeconds(5))
        .until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ended")));
    assertThat(Chromium.liveCaptureTracks(patient)).isZero();

    // pages that are not part of a launch are never framed, whoever asks
    for (String page : List.of("/sandbox", "/join/" + "0".repeat(43))) {
      HttpResponse<String> r =
          televisit
              .http()
              .send(
                  HttpRequest.newBuilder(URI.create(app + page))
                      .timeout(Duration.ofSeconds(10))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.headers().firstValue("Content-Security-Policy"))
          .as(page)
          .hasValue("frame-ancestors 'none'");
    }
    assertThat(televisit.errorLines()).as("ERROR lines in " + televisit.log()).isEmpty();
  }
}
