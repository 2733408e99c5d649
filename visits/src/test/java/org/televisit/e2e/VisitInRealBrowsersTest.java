package org.televisit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.televisit.smart.server.ClientType;
import org.televisit.support.Chromium;
import org.televisit.support.ErrorLog;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.SmartTestApp;
import org.televisit.support.TelevisitIntegrationTest;
import org.televisit.support.TestMailServer;
import org.televisit.visits.video.VideoBackend;
import org.televisit.visits.visit.VisitWorkflow;

/**
 * A real visit in two real browsers (Debian chromium with fake camera and microphone), a real
 * Janus, real PostgreSQL and a real SMTP server: a scheduler books with a backend-services token,
 * the patient's link is read from the mail, the clinician launches from the sandbox EHR, the
 * patient joins on a phone-sized window and waits, the clinician admits, both receive media, an
 * interpreter invited from the console joins from a third browser, the clinician ends the visit and
 * Janus no longer has the room or its tokens. Screenshots go to target/e2e/.
 */
@TelevisitIntegrationTest
class VisitInRealBrowsersTest extends FhirTestSupport {

  @Autowired VideoBackend video;
  WebDriver clinician;
  WebDriver patientBrowser;
  WebDriver interpreter;

  static WebDriver chromium(Dimension size) throws Exception {
    return Chromium.open(size);
  }

  ErrorLog errors = ErrorLog.open();

  @AfterEach
  void close() {
    errors.close();
    if (clinician != null) {
      clinician.quit();
    }
    if (patientBrowser != null) {
      patientBrowser.quit();
    }
    if (interpreter != null) {
      interpreter.quit();
    }
  }

  static long inbound(WebDriver driver) {
    return Chromium.inbound(driver);
  }

  static void screenshot(WebDriver driver, String name) throws Exception {
    Chromium.screenshot(driver, "e2e", name);
  }

  @Test
  void aVisitFromBookingToTheFinishedEncounterWithMediaBothWays() throws Exception {
    // the scheduler: a backend-services app with private_key_jwt
    SmartTestApp scheduler =
        SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_ASYMMETRIC, false);
    String schedulerToken =
        (String)
            JSONObjectUtils.parse(
                    scheduler
                        .exchange(
                            new ClientCredentialsGrant(),
                            Scope.parse("system/Appointment.cruds system/Patient.cruds"))
                        .getBody())
                .get("access_token");
    String email = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    IdType patient = createPatient("Browser", "Bea", "1982-11-05", email);
    IdType practitioner = createPractitioner();
    Appointment visit = bookedVisit(patient, practitioner, Instant.now().plusSeconds(240));
    var booked =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/fhir/Appointment"))
                .header("Authorization", "Bearer " + schedulerToken)
                .header("Content-Type", "application/fhir+json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        fhirContext.newJsonParser().encodeResourceToString(visit)))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
    IdType appointment =
        new IdType(booked.headers().firstValue("Location").orElseThrow())
            .toUnqualifiedVersionless();
    appointment = new IdType("Appointment", appointment.getIdPart());

    String link = TestMailServer.joinLinkSentTo(email);

    // the clinician launches Televisit from the sandbox EHR
    clinician = chromium(new Dimension(1280, 900));
    clinician.get(base() + "/sandbox");
    new Select(clinician.findElement(By.id("practitioner"))).selectByValue(practitioner.getValue());
    new Select(clinician.findElement(By.id("appointment"))).selectByValue(appointment.getValue());
    new Select(clinician.findElement(By.id("app"))).selectByValue("televisit");
    clinician.findElement(By.id("launch")).click();
    WebDriverWait wait = new WebDriverWait(clinician, Duration.ofSeconds(20));
    wait.until(
        d ->
            d.getCurrentUrl().endsWith("/console")
                && d.findElement(By.id("patient-name")).getText().contains("Browser"));

    // the patient opens the link on a phone-sized screen, confirms the birth date, and waits
    patientBrowser = chromium(new Dimension(390, 844));
    patientBrowser.get(link);
    ((JavascriptExecutor) patientBrowser)
        .executeScript("document.getElementById('birth_date').value = '1982-11-05';");
    patientBrowser.findElement(By.cssSelector("form button")).click();
    new WebDriverWait(patientBrowser, Duration.ofSeconds(10))
        .until(d -> d.findElement(By.id("waiting")).isDisplayed());
    wait.until(
        d -> !d.findElements(By.cssSelector("li[data-state='waiting'] button.admit")).isEmpty());
    screenshot(patientBrowser, "join-page.png");

    // start, admit, and media both ways
    clinician.findElement(By.id("start")).click();
    wait.until(d -> d.findElement(By.id("end")).isDisplayed());
    clinician.findElement(By.cssSelector("li[data-state='waiting'] button.admit")).click();
    WebDriverWait media = new WebDriverWait(clinician, Duration.ofSeconds(30));
    media.until(d -> inbound(d) > 0);
    new WebDriverWait(patientBrowser, Duration.ofSeconds(30)).until(d -> inbound(d) > 0);
    long clinicianBefore = inbound(clinician);
    long patientBefore = inbound(patientBrowser);
    Thread.sleep(2000);
    assertThat(inbound(clinician)).isGreaterThan(clinicianBefore);
    assertThat(inbound(patientBrowser)).isGreaterThan(patientBefore);
    screenshot(clinician, "console.png");
    screenshot(patientBrowser, "join-page-in-visit.png");

    // an interpreter, invited from the console, joins from a tablet-sized window: three people in
    // the room
    new Select(clinician.findElement(By.id("invite-role"))).selectByValue("interpreter");
    clinician.findElement(By.id("invite-name")).sendKeys("Ines Interpreter");
    clinician.findElement(By.cssSelector("#invite button[type=submit]")).click();
    wait.until(d -> d.findElement(By.id("invite-link")).getText().contains("/join/"));
    String guestLink =
        clinician
            .findElement(By.id("invite-link"))
            .getText()
            .replaceAll("(?s).*(http\\S+/join/[A-Za-z0-9_-]{43}).*", "$1");
    interpreter = chromium(new Dimension(820, 1180));
    interpreter.get(guestLink);
    new WebDriverWait(interpreter, Duration.ofSeconds(10))
        .until(d -> d.findElement(By.id("waiting")).isDisplayed());
    By guestWaiting =
        By.cssSelector("li[data-participant^='guest/'][data-state='waiting'] button.admit");
    wait.until(d -> !d.findElements(guestWaiting).isEmpty());
    assertThat(clinician.findElement(By.cssSelector("li[data-participant^='guest/']")).getText())
        .contains("Ines Interpreter (interpreter)");
    assertThat(
            clinician
                .findElement(By.cssSelector("li[data-participant^='Practitioner/']"))
                .getText())
        .startsWith("You");
    clinician.findElement(guestWaiting).click();
    new WebDriverWait(interpreter, Duration.ofSeconds(30)).until(d -> inbound(d) > 0);
    wait.until(
        d ->
            d.findElements(By.cssSelector("#tiles video.remote")).size()
                == 2); // a tile beside the patient's
    screenshot(clinician, "console-with-interpreter.png");
    screenshot(interpreter, "join-page-interpreter.png");

    // the patient's connection drops (Janus hangs up on them): their page rejoins on its own with
    // the same link
    String roomKeyNow = VisitWorkflow.roomKey(appointment.getValue());
    var roomNow = video.rooms().orElseThrow().room(roomKeyNow).orElseThrow();
    long patientFeed =
        video.rooms().orElseThrow().admissions(roomKeyNow).stream()
            .filter(a -> a.participant().startsWith("Patient/"))
            .findFirst()
            .orElseThrow()
            .feedId();
    video
        .pool()
        .orElseThrow()
        .client(roomNow.nodeId())
        .orElseThrow()
        .kick(roomNow.janusRoom(), roomNow.secret(), patientFeed);
    new WebDriverWait(patientBrowser, Duration.ofSeconds(20))
        .until(d -> "1".equals(d.findElement(By.tagName("body")).getDomAttribute("data-rejoins")));
    new WebDriverWait(patientBrowser, Duration.ofSeconds(30))
        .until(
            d ->
                d.findElement(By.id("status")).getText().contains("in your visit")
                    && inbound(d) > 0);
    long afterRejoin = inbound(patientBrowser);
    Thread.sleep(1500);
    assertThat(inbound(patientBrowser))
        .as("media flows again after the drop")
        .isGreaterThan(afterRejoin);

    // hang up and rejoin: the visit stays open, the clinician comes back with a fresh token
    clinician.findElement(By.id("hangup")).click();
    wait.until(
        d ->
            d.findElement(By.id("start")).isDisplayed()
                && "Rejoin video".equals(d.findElement(By.id("start")).getText()));
    assertThat(inbound(clinician)).isZero();
    clinician.findElement(By.id("start")).click();
    wait.until(d -> d.findElement(By.id("hangup")).isDisplayed());
    media.until(d -> inbound(d) > 0);

    // what Janus itself holds for the visit, to ask it again after the end
    String roomKey = VisitWorkflow.roomKey(appointment.getValue());
    var room = video.rooms().orElseThrow().room(roomKey).orElseThrow();
    var janus = video.pool().orElseThrow().client(room.nodeId()).orElseThrow();
    List<String> tokens =
        video.rooms().orElseThrow().admissions(roomKey).stream()
            .map(org.televisit.video.rooms.Admission::janusToken)
            .toList();
    assertThat(tokens).hasSize(3);
    assertThat(janus.roomExists(room.janusRoom())).isTrue();
    assertThat(janus.listTokens()).containsAll(tokens);

    // end: the visit is recorded and the room is gone
    clinician.findElement(By.id("end")).click();
    wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ended")));
    Encounter encounter =
        (Encounter)
            fhir()
                .search()
                .forResource(Encounter.class)
                .where(Encounter.APPOINTMENT.hasId(appointment))
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource();
    assertThat(encounter.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
    assertThat(encounter.getPeriod().hasStart()).isTrue();
    assertThat(encounter.getPeriod().hasEnd()).isTrue();
    assertThat(
            fhir()
                .read()
                .resource(Appointment.class)
                .withId(appointment.getIdPart())
                .execute()
                .getStatus())
        .isEqualTo(Appointment.AppointmentStatus.FULFILLED);
    assertThat(video.rooms().orElseThrow().room(roomKey)).isEmpty();
    assertThat(video.rooms().orElseThrow().admissions(roomKey)).isEmpty();
    assertThat(janus.roomExists(room.janusRoom())).as("Janus no longer has the room").isFalse();
    assertThat(janus.listTokens())
        .as("Janus no longer accepts the visit's tokens")
        .doesNotContainAnyElementsOf(tokens);
    assertThat(auditSubtypesAbout(appointment.getValue()))
        .contains("book", "link-issued", "arrived", "visit-start", "admit", "visit-end");
    assertThat(errors.lines()).as("ERROR lines in the server log during the visit").isEmpty();
  }
}
