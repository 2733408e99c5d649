package org.televisit.visits.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.televisit.support.Browser;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;
import org.televisit.support.TestMailServer;
import org.televisit.visits.audit.VisitAudit;

/**
 * Booking sends the patient a join link by e-mail (real SMTP, GreenMail), recorded as a
 * Communication; the link works in its window only, is revoked by a cancel or a new time, checks
 * the birth date (on in the test profile) with a lockout, and is rate-limited. Every step leaves
 * its AuditEvent.
 */
@TelevisitIntegrationTest
class JoinLinksTest extends FhirTestSupport {

  @Autowired JdbcTemplate jdbc;
  IdType practitioner;
  IdType patient;
  String email;
  Browser browser;

  @BeforeEach
  void people() {
    practitioner = createPractitioner();
    email = "pat-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    patient = createPatient("Linkson", "Pat", "1980-04-12", email);
    browser =
        new Browser(
            base(), "10.9." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250));
  }

  IdType book(Instant start) {
    return (IdType)
        fhir()
            .create()
            .resource(bookedVisit(patient, practitioner, start))
            .execute()
            .getId()
            .toUnqualifiedVersionless();
  }

  List<MimeMessage> mailsTo(String address) {
    return Arrays.stream(TestMailServer.received())
        .filter(
            m -> {
              try {
                return Arrays.stream(m.getAllRecipients())
                    .anyMatch(r -> r.toString().equals(address));
              } catch (Exception e) {
                return false;
              }
            })
        .toList();
  }

  String linkIn(MimeMessage message) {
    return TestMailServer.joinLinkIn(message);
  }

  String awaitLink(int nth) {
    await().atMost(Duration.ofSeconds(20)).until(() -> mailsTo(email).size() >= nth);
    try {
      return linkIn(mailsTo(email).get(nth - 1));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  HttpResponse<String> checkBirthDate(String link, String date) throws Exception {
    HttpResponse<String> form = browser.get(link);
    return browser.postForm(
        link, Map.of("birth_date", date, "form_token", Browser.formToken(form.body())));
  }

  List<AuditEvent> audits(IdType appointment) {
    return auditEventsAbout(appointment.getValue());
  }

  static List<String> subtypes(List<AuditEvent> events) {
    return events.stream()
        .flatMap(e -> e.getSubtype().stream())
        .filter(c -> VisitAudit.SUBTYPES.equals(c.getSystem()))
        .map(c -> c.getCode())
        .toList();
  }

  @Test
  void aBookingMailsAJoinLinkThatLeadsToTheWaitingRoomAfterTheBirthDate() throws Exception {
    IdType visit = book(Instant.now().plus(5, ChronoUnit.MINUTES));
    String link = awaitLink(1);
    MimeMessage mail = mailsTo(email).get(0);
    assertThat(mail.getContentType()).contains("multipart");
    assertThat(link).doesNotContain(patient.getIdPart());

    HttpResponse<String> page = browser.get(link);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("date of birth").doesNotContain("Clinician");
    HttpResponse<String> admitted = checkBirthDate(link, "1980-04-12");
    assertThat(admitted.body()).contains("waiting room").contains("Clinician");
    // the same link on a second device
    assertThat(new Browser(base(), "10.8.0.1").get(link).statusCode()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> !communications(visit).isEmpty());
    Communication sent = communications(visit).get(0);
    assertThat(sent.getRecipientFirstRep().getReference()).isEqualTo(patient.getValue());
    assertThat(fhirContext.newJsonParser().encodeResourceToString(sent))
        .doesNotContain(link.substring(link.lastIndexOf('/') + 1));
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM televisit.outbox WHERE appointment = ? AND payload IS NOT NULL",
                Integer.class,
                visit.getValue()))
        .isZero();
    assertThat(subtypes(audits(visit)))
        .contains("book", "link-issued", "notification", "link-check");
  }

  /**
   * The clinician's name a link shows is read once per practitioner, and again once they are
   * renamed.
   */
  @Test
  void aRenamedClinicianIsNamedOnTheNextLink() {
    IdType first = book(Instant.now().plus(20, ChronoUnit.MINUTES));
    org.hl7.fhir.r4.model.Practitioner renamed =
        fhir()
            .read()
            .resource(org.hl7.fhir.r4.model.Practitioner.class)
            .withId(practitioner)
            .execute();
    renamed.getNameFirstRep().setFamily("Newname");
    fhir().update().resource(renamed).execute();
    IdType second = book(Instant.now().plus(80, ChronoUnit.MINUTES));
    assertThat(clinicianOnLinks(first)).containsExactly("Casey Clinician");
    assertThat(clinicianOnLinks(second)).containsExactly("Casey Newname");
  }

  List<String> clinicianOnLinks(IdType visit) {
    return jdbc.queryForList(
        "SELECT clinician FROM televisit.join_link WHERE appointment = ?",
        String.class,
        visit.getValue());
  }

  /**
   * A booking's link goes to the address on file when it is sent; with none on file it is given up,
   * audited.
   */
  @Test
  void aBookingsLinkGoesToTheAddressOnFileAndWithoutOneIsGivenUp() {
    IdType noAddress = createPatient("Nomail", "Pat", "1975-01-02", null);
    IdType visit =
        (IdType)
            fhir()
                .create()
                .resource(
                    bookedVisit(
                        noAddress, practitioner, Instant.now().plus(10, ChronoUnit.MINUTES)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                jdbc.queryForObject(
                        "SELECT count(*) FROM televisit.outbox WHERE appointment = ? AND given_up_at IS NOT NULL",
                        Integer.class,
                        visit.getValue())
                    == 1);
    assertThat(
            jdbc.queryForObject(
                "SELECT last_error FROM televisit.outbox WHERE appointment = ?",
                String.class,
                visit.getValue()))
        .contains("no e-mail address on file");
    assertThat(auditEventsAbout(visit.getValue()))
        .anySatisfy(
            e -> {
              assertThat(e.getSubtypeFirstRep().getCode()).isEqualTo("notification-undeliverable");
              assertThat(e.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
            });
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM televisit.join_link WHERE appointment = ?",
                Integer.class,
                visit.getValue()))
        .as("the link exists: the clinician can still copy it")
        .isEqualTo(1);
  }

  List<Communication> communications(IdType visit) {
    // R4 has no search parameter for Communication.about: search the patient's, keep this visit's
    return fhir()
        .search()
        .forResource(Communication.class)
        .where(Communication.SUBJECT.hasId(patient))
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .stream()
        .map(e -> (Communication) e.getResource())
        .filter(c -> c.getAbout().stream().anyMatch(r -> visit.getValue().equals(r.getReference())))
        .toList();
  }

  @Test
  void outsideItsWindowTheLinkSaysWhenItOpensOrThatTheVisitIsOver() throws Exception {
    book(Instant.now().plus(3, ChronoUnit.HOURS));
    HttpResponse<String> early = browser.get(awaitLink(1));
    assertThat(early.statusCode()).isEqualTo(200);
    assertThat(early.body()).contains("opens on").doesNotContain("Clinician");

    book(Instant.now().minus(3, ChronoUnit.HOURS));
    HttpResponse<String> late = browser.get(awaitLink(2));
    assertThat(late.statusCode()).isEqualTo(410);
    assertThat(late.body()).contains("ended");
  }

  @Test
  void aCancelRevokesTheLinkAndANewTimeSendsANewOne() throws Exception {
    IdType visit = book(Instant.now().plus(5, ChronoUnit.MINUTES));
    String first = awaitLink(1);
    Appointment a = fhir().read().resource(Appointment.class).withId(visit.getIdPart()).execute();
    a.setStart(Date.from(Instant.now().plus(7, ChronoUnit.MINUTES)));
    a.setEnd(Date.from(Instant.now().plus(27, ChronoUnit.MINUTES)));
    fhir().update().resource(a).execute();
    String second = awaitLink(2);
    assertThat(second).isNotEqualTo(first);
    HttpResponse<String> old = browser.get(first);
    assertThat(old.statusCode()).isEqualTo(410);
    assertThat(old.body()).contains("Your visit was moved").contains("new link was sent");
    assertThat(browser.get(second).statusCode()).isEqualTo(200);

    Appointment moved =
        fhir().read().resource(Appointment.class).withId(visit.getIdPart()).execute();
    moved.setStatus(Appointment.AppointmentStatus.CANCELLED);
    fhir().update().resource(moved).execute();
    HttpResponse<String> cancelled = browser.get(second);
    assertThat(cancelled.statusCode()).isEqualTo(410);
    assertThat(cancelled.body()).contains("This visit was cancelled");
    assertThat(subtypes(audits(visit))).contains("book", "reschedule", "cancel");
  }

  @Test
  void fiveWrongBirthDatesLockTheLink() throws Exception {
    IdType visit = book(Instant.now().plus(5, ChronoUnit.MINUTES));
    String link = awaitLink(1);
    for (int i = 1; i <= 4; i++) {
      assertThat(checkBirthDate(link, "1999-01-0" + i).body()).contains("does not match");
    }
    HttpResponse<String> fifth = checkBirthDate(link, "1999-01-05");
    assertThat(fifth.statusCode()).isEqualTo(403);
    assertThat(fifth.body()).contains("locked");
    // even the right date no longer opens it, from any address
    assertThat(new Browser(base(), "10.7.0.1").get(link).statusCode()).isEqualTo(403);
    assertThat(audits(visit))
        .filteredOn(e -> e.getOutcome() == AuditEvent.AuditEventOutcome._4)
        .hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void theJoinPageIsHardenedLikeEveryPageAndItsMetricsNameTheRouteNeverTheToken() throws Exception {
    String token =
        JoinLinks.randomKey() + JoinLinks.randomKey().substring(0, 21); // 43 characters, no link
    HttpResponse<String> page = browser.get(base() + "/join/" + token);
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).contains("not a Televisit visit link");
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(
            t -> assertThat(t).startsWith("text/html").containsIgnoringCase("utf-8"));
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValue("frame-ancestors 'none'");
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(page.headers().firstValue("Permissions-Policy"))
        .hasValueSatisfying(p -> assertThat(p).contains("camera=(self)"));

    String metrics = get("/actuator/prometheus", "text/plain").body();
    assertThat(metrics)
        .containsPattern(
            "http_server_requests_seconds_count\\{[^}]*status=\"404\"[^}]*uri=\"/join/\\{token}\"")
        .doesNotContain(token);
  }

  @Test
  void attemptsAreRateLimitedPerLinkAndPerAddressAndGuessesCannotLockPatientsOut()
      throws Exception {
    book(Instant.now().plus(5, ChronoUnit.MINUTES));
    String link = awaitLink(1);
    int limited = 0;
    for (int i = 0; i < 25; i++) {
      if (new Browser(base(), "10.6.0." + i).get(link).statusCode() == 429) {
        limited++;
      }
    }
    assertThat(limited).as("per link: 20 a minute").isEqualTo(5);
    Browser one = new Browser(base(), "10.5.5.5");
    int fromOne = 0;
    for (int i = 0; i < 65; i++) {
      if (one.get(base() + "/join/" + String.format("%043d", i)).statusCode() == 429) {
        fromOne++;
      }
    }
    assertThat(fromOne).as("guesses per address: 60 a minute").isEqualTo(5);
    // a patient behind the guesser's address still opens their own link
    patient =
        createPatient(
            "Neighbour",
            "Nat",
            "1980-04-12",
            email = "nat-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org");
    practitioner = createPractitioner();
    book(Instant.now().plus(6, ChronoUnit.MINUTES));
    assertThat(new Browser(base(), "10.5.5.5").get(awaitLink(1)).statusCode()).isEqualTo(200);
  }

  @Test
  void parallelWrongBirthDatesAreComparedExactlyFiveTimes() throws Exception {
    IdType visit = book(Instant.now().plus(5, ChronoUnit.MINUTES));
    String link = awaitLink(1);
    // fifteen at once (the per-link limit of the test profile is 20 requests a minute)
    Browser guesser = new Browser(base(), "10.8.1.1");
    String form = guesser.get(link).body();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(15);
    List<java.util.concurrent.Callable<HttpResponse<String>>> calls = new java.util.ArrayList<>();
    for (int i = 0; i < 15; i++) {
      calls.add(
          () ->
              guesser.postForm(
                  link, Map.of("birth_date", "1999-02-02", "form_token", Browser.formToken(form))));
    }
    List<HttpResponse<String>> answers = new java.util.ArrayList<>();
    for (var f : pool.invokeAll(calls)) {
      answers.add(f.get());
    }
    pool.shutdown();
    assertThat(answers).filteredOn(r -> r.body().contains("does not match")).hasSize(4);
    assertThat(answers)
        .filteredOn(r -> r.statusCode() == 403 && r.body().contains("locked"))
        .hasSize(11);
    assertThat(audits(visit))
        .filteredOn(
            e ->
                e.getOutcomeDesc() != null
                    && e.getOutcomeDesc().startsWith("birth date did not match"))
        .hasSize(5);
  }

  @Test
  void aMailWhileSmtpIsDownIsDeliveredOnceItIsBack() throws Exception {
    TestMailServer.stop();
    IdType visit;
    try {
      visit = book(Instant.now().plus(5, ChronoUnit.MINUTES));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  jdbc.queryForObject(
                          "SELECT max(attempts) FROM televisit.outbox WHERE appointment = ?",
                          Integer.class,
                          visit.getValue())
                      >= 1);
    } finally {
      TestMailServer.start();
    }
    awaitLink(1);
    Thread.sleep(1500);
    assertThat(mailsTo(email)).hasSize(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> communications(visit).size() == 1);
  }

  /**
   * What a phone downloads for the waiting room (issue 18: <= 300 KB; bench/join-fast3g.sh times
   * it).
   */
  @Test
  void theWaitingRoomWeighsUnder300KbOnTheWire() throws Exception {
    book(Instant.now().plus(5, ChronoUnit.MINUTES));
    String link = awaitLink(1);
    String page = checkBirthDate(link, "1980-04-12").body();
    long bytes = page.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    java.util.regex.Matcher assets =
        java.util.regex.Pattern.compile("(?:src|href)=\"(/[^\"]+\\.(?:js|css))\"").matcher(page);
    List<String> seen = new java.util.ArrayList<>();
    while (assets.find()) {
      HttpResponse<byte[]> asset =
          http.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + assets.group(1)))
                  .header("Accept-Encoding", "gzip, deflate, br")
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(asset.statusCode()).as(assets.group(1)).isEqualTo(200);
      if (assets.group(1).startsWith("/vendor/")) {
        assertThat(asset.headers().firstValue("Content-Encoding"))
            .as(assets.group(1))
            .hasValue("gzip");
      }
      bytes += asset.body().length;
      seen.add(assets.group(1));
    }
    assertThat(seen)
        .contains(
            "/vendor/janus/janus.min.js", "/vendor/adapter/adapter.min.js", "/js/waiting-room.js");
    assertThat(bytes)
        .as("bytes of the waiting room and its scripts and styles")
        .isLessThanOrEqualTo(300 * 1024);
  }
}
