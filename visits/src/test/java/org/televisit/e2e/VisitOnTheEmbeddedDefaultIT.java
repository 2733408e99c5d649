package org.televisit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.televisit.support.Chromium.inbound;
import static org.televisit.support.Chromium.screenshot;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.televisit.support.Chromium;
import org.televisit.support.TelevisitRun;

/**
 * The visit as a new user meets it: `./televisit run` (embedded H2, the sandbox clinic, its own
 * Janus), a clinician on a desktop launching one of today's visits from the sandbox EHR, the
 * patient on a phone with the link copied from the console, an interpreter on a small phone and a
 * family member on a tablet. Admit before Start, a stale second Admit, four people on a phone, the
 * end releasing every camera, a reload after the end. Any ERROR line Televisit logs fails the test.
 * Screenshots go to target/e2e-embedded/.
 */
class VisitOnTheEmbeddedDefaultIT {

  static final String SHOTS = "e2e-embedded";
  static TelevisitRun televisit;
  WebDriver clinician;
  WebDriver patient;
  WebDriver interpreter;
  WebDriver family;

  @BeforeAll
  static void run() throws Exception {
    // the first run of a build makes the class-data sharing archive first (about a minute)
    // the switches the benchmarks once used must not turn anything off in the jar (issue 19)
    televisit =
        TelevisitRun.start(
            Duration.ofMinutes(4),
            "--televisit.fhir.require-token=false",
            "--televisit.rules.enabled=false");
  }

  @AfterAll
  static void stop() throws Exception {
    if (televisit != null) {
      televisit.close();
    }
  }

  @AfterEach
  void close() throws Exception {
    // the last picture of every page, whatever happened (a failure's is the one to look at)
    String[] names = {"clinician", "patient", "interpreter", "family"};
    WebDriver[] drivers = {clinician, patient, interpreter, family};
    for (int i = 0; i < drivers.length; i++) {
      if (drivers[i] != null) {
        screenshot(drivers[i], SHOTS, "last-" + names[i] + ".png");
      }
    }
    Chromium.quit(clinician, patient, interpreter, family);
  }

  @Test
  void aWholeVisitOnWhatTelevisitRunStarts() throws Exception {
    String base = televisit.base();
    // out of heap, the JVM exits (and a supervisor restarts it) instead of keeping a dead port open
    assertThat(televisit.commandLine())
        .contains("-XX:+ExitOnOutOfMemoryError")
        .contains("televisit.jar");
    var noToken =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/fhir/Patient"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(noToken.statusCode())
        .as("/fhir without a token, whatever the options say")
        .isEqualTo(401);

    // the clinician picks the first of today's visits in the sandbox EHR: it says whose visit it is
    clinician = Chromium.open(Chromium.DESKTOP);
    clinician.get(base + "/");
    // right after start-up the sandbox clinic is still loading: the launcher says so and reloads
    // itself
    new WebDriverWait(clinician, Duration.ofSeconds(90))
        .until(
            d ->
                d.findElements(By.cssSelector("#appointment option[data-practitioner]")).size()
                    > 0);
    // the presence list is redrawn on every change: an element read mid-redraw is read again
    WebDriverWait wait = new WebDriverWait(clinician, Duration.ofSeconds(20));
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    WebElement visit =
        clinician.findElements(By.cssSelector("#appointment option[data-practitioner]")).get(0);
    assertThat(visit.getText()).contains(" with ");
    assertThat(clinician.findElement(By.cssSelector("label[for=appointment]")).getText())
        .contains("times in");
    new Select(clinician.findElement(By.id("appointment")))
        .selectByValue(visit.getDomAttribute("value"));
    assertThat(
            new Select(clinician.findElement(By.id("practitioner")))
                .getFirstSelectedOption()
                .getDomAttribute("value"))
        .as("picking a visit picks its clinician")
        .isEqualTo(visit.getDomAttribute("data-practitioner"));
    new Select(clinician.findElement(By.id("app"))).selectByValue("televisit");
    screenshot(clinician, SHOTS, "01-launcher.png");
    a11y("launcher", clinician);
    clinician.findElement(By.id("launch")).click();
    wait.until(
        d ->
            d.getCurrentUrl().endsWith("/console")
                && !d.findElement(By.id("patient-name")).getText().isBlank());
    assertThat(clinician.findElement(By.id("message")).getText()).isEmpty();
    a11y("console", clinician);

    // the patient's link, copied from the console, opened on a phone
    clinician.findElement(By.id("copy-link")).click();
    wait.until(d -> d.findElement(By.id("patient-link")).getText().contains("/join/"));
    String link = clinician.findElement(By.id("patient-link")).getText().trim();
    patient = Chromium.open(Chromium.PHONE);
    patient.get(link);
    WebDriverWait patientWait = new WebDriverWait(patient, Duration.ofSeconds(20));
    patientWait.until(d -> d.findElement(By.id("devices")).getText().contains("work"));
    assertThat(patient.findElement(By.id("mute")).isDisplayed()).isTrue();
    assertThat(patient.findElement(By.id("camera")).isDisplayed()).isTrue();
    assertThat(patient.findElement(By.cssSelector("#self figcaption")).getText()).startsWith("You");
    screenshot(patient, SHOTS, "02-patient-waiting.png");
    a11y("waiting room", patient);

    // admitted before the visit started: the console says what happens
    By patientRow = By.cssSelector("li[data-participant^='Patient/']");
    wait.until(d -> "waiting".equals(d.findElement(patientRow).getDomAttribute("data-state")));
    clinician.findElement(By.cssSelector("li[data-participant^='Patient/'] button.admit")).click();
    wait.until(d -> d.findElement(By.id("notice")).getText().contains("joins when you start"));
    wait.until(d -> d.findElement(patientRow).getText().contains("waiting for you to start"));
    screenshot(clinician, SHOTS, "03-console-admitted-before-start.png");

    // start: media both ways, and presence says who is in the call (it froze here on H2)
    clinician.findElement(By.id("start")).click();
    WebDriverWait media = new WebDriverWait(clinician, Duration.ofSeconds(30));
    media.until(d -> inbound(d) > 0);
    new WebDriverWait(patient, Duration.ofSeconds(30)).until(d -> inbound(d) > 0);
    wait.until(d -> "connected".equals(d.findElement(patientRow).getDomAttribute("data-state")));
    assertThat(
            clinician.findElements(By.cssSelector("li[data-participant^='Patient/'] button.admit")))
        .as("no Admit for someone in the call")
        .isEmpty();
    patientWait.until(d -> d.findElement(By.tagName("h1")).getText().equals("Your visit"));
    assertThat(patient.findElement(By.id("waiting")).getText())
        .startsWith("This is your visit with");
    String clinicianName = patient.findElement(By.id("tiles")).getDomAttribute("data-clinician");
    patientWait.until(
        d ->
            d.findElements(By.cssSelector("#tiles figure.tile figcaption")).stream()
                .anyMatch(c -> c.getText().equals(clinicianName)));

    // a stale Admit (a second console, an old page) does not cut the patient off
    Object status =
        ((JavascriptExecutor) clinician)
            .executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + "const who = document.querySelector(\"li[data-participant^='Patient/']\").dataset.participant;"
                    + "fetch('/api/console/visit/admit', {method: 'POST', headers: {'Content-Type': 'application/json'},"
                    + " body: JSON.stringify({participant: who})}).then(r => done(r.status));");
    assertThat(((Number) status).intValue()).isEqualTo(200);
    Thread.sleep(2500);
    assertThat(patient.findElement(By.tagName("body")).getDomAttribute("data-rejoins"))
        .as("the patient was not kicked")
        .isNull();
    assertThat(clinician.findElements(By.cssSelector("#tiles video.remote")))
        .as("no duplicate tile")
        .hasSize(1);
    long flowing = inbound(patient);
    Thread.sleep(1000);
    assertThat(inbound(patient)).isGreaterThan(flowing);

    // an interpreter (small phone) and a family member (tablet): four people, nobody scrolls
    // sideways
    String interpreterLink = invite("interpreter", "Ines Interpreter");
    String familyLink = invite("family", "Fran Family");
    interpreter = Chromium.open(Chromium.SMALL_PHONE);
    interpreter.get(interpreterLink);
    family = Chromium.open(Chromium.TABLET);
    family.get(familyLink);
    for (String name : List.of("Ines Interpreter", "Fran Family")) {
      By row =
          By.xpath(
              "//li[starts-with(@data-participant,'guest/') and @data-state='waiting' and contains(., '"
                  + name
                  + "')]//button[contains(@class,'admit')]");
      // the list is redrawn on every presence change: find and press in one go
      wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class)
          .until(
              d -> {
                d.findElement(row).click();
                return true;
              });
    }
    new WebDriverWait(interpreter, Duration.ofSeconds(30))
        .until(d -> d.findElements(By.cssSelector("video.remote")).size() == 3);
    new WebDriverWait(patient, Duration.ofSeconds(30))
        .until(d -> d.findElements(By.cssSelector("video.remote")).size() == 3);
    media.until(d -> d.findElements(By.cssSelector("#tiles video.remote")).size() == 3);
    Thread.sleep(1500); // the last tiles get their video
    // the console's notice follows the last one admitted into the call (it said "is joining" for
    // good)
    wait.until(
        d ->
            d.findElement(By.id("notice"))
                .getText()
                .equals("Fran Family (family member) is in the call."));
    assertThat(Chromium.scrollWidth(patient)).as("390 px phone").isLessThanOrEqualTo(390);
    assertThat(Chromium.scrollWidth(interpreter)).as("360 px phone").isLessThanOrEqualTo(360);
    assertThat(
            patient.findElements(By.cssSelector("#tiles figcaption")).stream()
                .map(WebElement::getText))
        .contains(clinicianName, "Ines Interpreter", "Fran Family");
    screenshot(patient, SHOTS, "04-patient-four-people.png");
    screenshot(interpreter, SHOTS, "05-interpreter-small-phone.png");
    screenshot(family, SHOTS, "06-family-tablet.png");
    screenshot(clinician, SHOTS, "07-console-four-people.png");
    a11y("in the visit (patient)", patient);
    a11y("in the visit (console)", clinician);

    // the end: every page lets go of its camera and microphone at once and says the visit ended
    // (the pages' own clocks, one machine: Selenium's round trips are not part of the figure)
    long pressedAt =
        ((Number)
                ((JavascriptExecutor) clinician)
                    .executeScript(
                        "const t = Date.now(); document.getElementById('end').click(); return t;"))
            .longValue();
    for (WebDriver guest : List.of(patient, interpreter, family)) {
      new WebDriverWait(guest, Duration.ofSeconds(5), Duration.ofMillis(50))
          .until(
              d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ended")));
      assertThat(Chromium.liveCaptureTracks(guest)).as("capture tracks still live").isZero();
      long releasedAt =
          Long.parseLong(guest.findElement(By.tagName("body")).getDomAttribute("data-released-at"));
      released.add(releasedAt - pressedAt);
    }
    // the bug was a camera still on 20 s later; the 1 s figure is a benchmark's (the time printed
    // here goes to docs/benchmarks.md): a slower machine measured 2.1-3.5 s with four browsers on
    // it
    System.out.println("End visit -> cameras released (ms, per guest page): " + released);
    assertThat(released)
        .as("every camera released promptly after End visit")
        .allMatch(ms -> ms <= 5000);
    assertThat(patient.findElement(By.id("status")).getText()).contains("ended");
    assertThat(patient.findElements(By.cssSelector("video.remote"))).isEmpty();
    assertThat(patient.findElement(By.id("mute")).isDisplayed())
        .as("no call controls after the end")
        .isFalse();
    assertThat(patient.findElement(By.id("local")).isDisplayed())
        .as("no frozen self view")
        .isFalse();
    assertThat(patient.findElement(By.tagName("h1")).getText()).isEqualTo("Your visit has ended");
    screenshot(patient, SHOTS, "08-patient-ended.png");
    a11y("ended (patient)", patient);

    // a reload after the end shows the ended visit, with the guests' names
    clinician.navigate().refresh();
    wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ended")));
    assertThat(clinician.findElement(By.id("start")).isDisplayed()).isFalse();
    wait.until(d -> d.findElement(By.id("presence")).getText().contains("Ines Interpreter"));
    screenshot(clinician, SHOTS, "09-console-reloaded-after-end.png");
    a11y("ended (console)", clinician);

    // the default trusts no proxy: a client that sends X-Forwarded-For is still counted as itself
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    int limited = 0;
    for (int i = 0; i < 125; i++) {
      var request =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(base + "/join/" + String.format("%043d", i)))
              .header("X-Forwarded-For", "203.0.113." + (i % 250))
              .build();
      if (http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()
          == 429) {
        limited++;
      }
    }
    assertThat(limited)
        .as("120 guesses a minute from one address, whatever it claims to be")
        .isEqualTo(5);

    assertThat(accessibility).as("axe-core violations (any impact)").isEmpty();
    assertThat(televisit.errorLines()).as("ERROR lines in " + televisit.log()).isEmpty();
  }

  final List<String> accessibility = new java.util.ArrayList<>();
  final List<Long> released = new java.util.ArrayList<>();

  /**
   * axe-core on the page as it is now; what it finds fails the test at the end (after every
   * picture).
   */
  private void a11y(String page, WebDriver driver) throws Exception {
    org.televisit.support.Accessibility.violations(driver)
        .forEach(v -> accessibility.add(page + ": " + v));
  }

  private String invite(String role, String name) {
    new Select(clinician.findElement(By.id("invite-role"))).selectByValue(role);
    clinician.findElement(By.id("invite-name")).sendKeys(name);
    clinician.findElement(By.cssSelector("#invite button[type=submit]")).click();
    new WebDriverWait(clinician, Duration.ofSeconds(10))
        .until(
            d ->
                d.findElement(By.id("invite-link")).getText().contains("/join/")
                    && !d.findElement(By.id("invite-name")).getDomProperty("value").equals(name));
    return clinician
        .findElement(By.id("invite-link"))
        .getText()
        .replaceAll("(?s).*(http\\S+/join/[A-Za-z0-9_-]{43}).*", "$1");
  }
}
