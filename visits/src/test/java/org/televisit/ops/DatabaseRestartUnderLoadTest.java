package org.televisit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.PostgresTestDatabase;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * PostgreSQL drops every connection of the app (what a restart or a failover looks like from the
 * app) while 8 schedulers book: every booking answered 201 is stored, every other answer is a 503
 * with an OperationOutcome sentence (no 500, no internals), and Televisit books again without a
 * restart.
 */
@TelevisitIntegrationTest
class DatabaseRestartUnderLoadTest extends FhirTestSupport {

  record Answer(int status, String body, String location) {}

  @Test
  void bookingsSurviveTheDatabaseDroppingEveryConnection() throws Exception {
    List<IdType> practitioners = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      practitioners.add(createPractitioner());
    }
    IdType patient = createPatient();
    String token = systemToken();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger slot = new AtomicInteger();
    ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    ExecutorService schedulers = Executors.newFixedThreadPool(8);
    for (int i = 0; i < 8; i++) {
      IdType practitioner = practitioners.get(i);
      schedulers.submit(
          () -> {
            while (running.get()) {
              // each booking its own 20 minutes: no clash, so any refusal is the outage's
              Instant start =
                  Instant.parse("2034-01-02T00:00:00Z").plusSeconds(1200L * slot.incrementAndGet());
              Appointment a = bookedVisit(patient, practitioner, start);
              try {
                HttpResponse<String> r =
                    post(
                        "/fhir/Appointment",
                        "application/fhir+json",
                        fhirContext.newJsonParser().encodeResourceToString(a));
                answers.add(
                    new Answer(
                        r.statusCode(), r.body(), r.headers().firstValue("Location").orElse(null)));
              } catch (Exception e) {
                answers.add(new Answer(-1, String.valueOf(e), null));
              }
            }
            return null;
          });
    }
    Thread.sleep(3000);
    int dropped = dropEveryConnectionOfTheApp();
    Thread.sleep(4000);
    running.set(false);
    schedulers.shutdown();
    assertThat(schedulers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    assertThat(dropped).as("connections dropped").isPositive();

    List<Answer> all = new ArrayList<>(answers);
    System.out.printf(
        "database dropped %d connections under load: %d booked, %d answered 503%n",
        dropped,
        all.stream().filter(a -> a.status() == 201).count(),
        all.stream().filter(a -> a.status() == 503).count());
    assertThat(all)
        .extracting(Answer::status)
        .as(
            () ->
                "answers; the first refusal: "
                    + all.stream()
                        .filter(a -> a.status() != 201)
                        .map(Answer::body)
                        .findFirst()
                        .orElse("none"))
        .doesNotContain(-1, 500)
        .allMatch(s -> s == 201 || s == 503);
    assertThat(all)
        .filteredOn(a -> a.status() == 503)
        .allSatisfy(
            a ->
                assertThat(a.body())
                    .contains("OperationOutcome")
                    .contains("try again")
                    .doesNotContain("Exception")
                    .doesNotContain("HAPI-"));
    // every 201 is stored
    List<Answer> booked = all.stream().filter(a -> a.status() == 201).toList();
    assertThat(booked).hasSizeGreaterThan(8);
    for (Answer a : booked) {
      IdType id = new IdType(a.location()).toUnqualifiedVersionless();
      assertThat(
              fhir()
                  .read()
                  .resource(Appointment.class)
                  .withId(id.getIdPart())
                  .execute()
                  .getStatus())
          .isEqualTo(Appointment.AppointmentStatus.BOOKED);
    }
    // and it books again, without a restart
    Appointment after =
        bookedVisit(patient, practitioners.get(0), Instant.parse("2035-01-02T09:00:00Z"));
    HttpResponse<String> r =
        post(
            "/fhir/Appointment",
            "application/fhir+json",
            fhirContext.newJsonParser().encodeResourceToString(after));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
  }

  /** pg_terminate_backend on every connection to the test database but this one. */
  private static int dropEveryConnectionOfTheApp() throws Exception {
    try (Connection admin =
            DriverManager.getConnection(
                PostgresTestDatabase.ADMIN_URL,
                PostgresTestDatabase.USER,
                PostgresTestDatabase.PASSWORD);
        Statement st = admin.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE datname = '"
                    + PostgresTestDatabase.DATABASE
                    + "' AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
