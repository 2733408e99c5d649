package org.televisit.fhir.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Slot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * Booking over /fhir on PostgreSQL: a practitioner's time and a Slot are booked once, even under
 * load.
 */
@TelevisitIntegrationTest
class NoDoubleBookingTest extends FhirTestSupport {

  static final Instant NINE = Instant.parse("2031-03-03T09:00:00Z");
  IdType patient;
  IdType practitioner;

  @BeforeEach
  void people() {
    patient = createPatient();
    practitioner = createPractitioner();
  }

  HttpResponse<String> book(Appointment a) throws Exception {
    return post(
        "/fhir/Appointment",
        "application/fhir+json",
        fhirContext.newJsonParser().encodeResourceToString(a));
  }

  HttpResponse<String> put(Appointment a) throws Exception {
    return http.send(
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base() + "/fhir/Appointment/" + a.getIdElement().getIdPart()))
            .header("Content-Type", "application/fhir+json")
            .header("Authorization", "Bearer " + systemToken())
            .PUT(
                java.net.http.HttpRequest.BodyPublishers.ofString(
                    fhirContext.newJsonParser().encodeResourceToString(a)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  Appointment visit(Instant start, long minutes) {
    Appointment a = bookedVisit(patient, practitioner, start);
    a.setEnd(java.util.Date.from(start.plus(minutes, ChronoUnit.MINUTES)));
    return a;
  }

  @Test
  void fiftyConcurrentBookingsOfOneTimeGiveOneWinner() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      calls.add(() -> book(visit(NINE, 20)));
    }
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (Future<HttpResponse<String>> f : pool.invokeAll(calls)) {
      responses.add(f.get());
    }
    pool.shutdown();
    assertThat(responses).filteredOn(r -> r.statusCode() == 201).hasSize(1);
    assertThat(responses)
        .filteredOn(r -> r.statusCode() == 409)
        .hasSize(49)
        .allSatisfy(
            r ->
                assertThat(r.body())
                    .contains("OperationOutcome")
                    .contains("Double booking")
                    .contains("already has Appointment/")); // names the visit it clashes with
    // nothing half-written: one Appointment for that practitioner
    assertThat(
            fhir()
                .search()
                .forResource(Appointment.class)
                .where(Appointment.ACTOR.hasId(practitioner))
                .returnBundle(org.hl7.fhir.r4.model.Bundle.class)
                .execute()
                .getTotal())
        .isEqualTo(1);
  }

  @Test
  void fiftyConcurrentBookingsOfOneSlotGiveOneWinner() throws Exception {
    Slot slot = new Slot();
    slot.setStatus(Slot.SlotStatus.FREE);
    org.hl7.fhir.r4.model.Schedule schedule = new org.hl7.fhir.r4.model.Schedule();
    schedule.addActor(new Reference(practitioner));
    slot.setSchedule(
        new Reference(
            fhir().create().resource(schedule).execute().getId().toUnqualifiedVersionless()));
    slot.setStart(java.util.Date.from(NINE));
    slot.setEnd(java.util.Date.from(NINE.plusSeconds(1200)));
    IdType slotId =
        (IdType) fhir().create().resource(slot).execute().getId().toUnqualifiedVersionless();
    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      IdType own = createPractitioner(); // different practitioners: only the Slot is shared
      calls.add(
          () -> {
            Appointment a = bookedVisit(patient, own, NINE);
            a.addSlot(new Reference(slotId));
            return book(a).statusCode();
          });
    }
    List<Integer> codes = new ArrayList<>();
    for (Future<Integer> f : pool.invokeAll(calls)) {
      codes.add(f.get());
    }
    pool.shutdown();
    assertThat(codes).filteredOn(c -> c == 201).hasSize(1);
    assertThat(codes).filteredOn(c -> c == 409).hasSize(49);
  }

  /**
   * Validation runs before anything is booked: an Appointment that is not valid R4 is 422 for that,
   * even where its time is taken (it used to be a 409 from the guard, which ran first and did its
   * writes before the validator refused the body).
   */
  @Test
  void anInvalidBodyIsRefusedForWhatItIsBeforeItsTimeIsChecked() throws Exception {
    assertThat(book(visit(NINE.plus(3, ChronoUnit.HOURS), 20)).statusCode()).isEqualTo(201);
    Appointment invalid = visit(NINE.plus(3, ChronoUnit.HOURS), 20);
    invalid.setMinutesDuration(
        0); // positiveInt: base R4 refuses it; Televisit's visit rules do not look at it
    HttpResponse<String> refused = book(invalid);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("less than permitted minimum value of 1");
  }

  @Test
  void overlapsAreRefusedAndBackToBackIsFine() throws Exception {
    assertThat(book(visit(NINE, 20)).statusCode()).isEqualTo(201);
    assertThat(book(visit(NINE.plus(10, ChronoUnit.MINUTES), 20)).statusCode()).isEqualTo(409);
    assertThat(book(visit(NINE.minus(10, ChronoUnit.MINUTES), 15)).statusCode()).isEqualTo(409);
    assertThat(book(visit(NINE.plus(20, ChronoUnit.MINUTES), 20)).statusCode()).isEqualTo(201);
    assertThat(book(visit(NINE.minus(20, ChronoUnit.MINUTES), 20)).statusCode()).isEqualTo(201);
  }

  @Test
  void cancellingFreesTheTimeAndReschedulingMovesIt() throws Exception {
    IdType first =
        (IdType)
            fhir().create().resource(visit(NINE, 20)).execute().getId().toUnqualifiedVersionless();
    Appointment stored =
        fhir().read().resource(Appointment.class).withId(first.getIdPart()).execute();

    stored.setStart(java.util.Date.from(NINE.plus(1, ChronoUnit.HOURS)));
    stored.setEnd(java.util.Date.from(NINE.plus(80, ChronoUnit.MINUTES)));
    assertThat(put(stored).statusCode()).isEqualTo(200);
    assertThat(book(visit(NINE, 20)).statusCode()).as("the old time is free again").isEqualTo(201);
    assertThat(book(visit(NINE.plus(1, ChronoUnit.HOURS), 20)).statusCode())
        .as("the new time is taken")
        .isEqualTo(409);

    Appointment moved =
        fhir().read().resource(Appointment.class).withId(first.getIdPart()).execute();
    moved.setStatus(Appointment.AppointmentStatus.CANCELLED);
    assertThat(put(moved).statusCode()).isEqualTo(200);
    assertThat(book(visit(NINE.plus(1, ChronoUnit.HOURS), 20)).statusCode()).isEqualTo(201);
  }

  @Test
  void aBookedVisitCarriesTheVirtualServiceExtensionWithoutSecrets() throws Exception {
    IdType id =
        (IdType)
            fhir().create().resource(visit(NINE.plus(3, ChronoUnit.HOURS), 20)).execute().getId();
    Appointment stored = fhir().read().resource(Appointment.class).withId(id.getIdPart()).execute();
    var service = stored.getExtensionByUrl(VirtualServiceStamp.URL);
    assertThat(service).isNotNull();
    assertThat(service.getExtensionByUrl("channelType").getValue())
        .isInstanceOf(org.hl7.fhir.r4.model.Coding.class);
    assertThat(service.getExtensionByUrl("address").getValue().primitiveValue())
        .isEqualTo(base() + "/visit");
    assertThat(fhirContext.newJsonParser().encodeResourceToString(stored)).doesNotContain("/join/");
  }
}
