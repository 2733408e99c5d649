package org.televisit.fhir.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;
import org.televisit.visits.join.JoinLinks;

/**
 * No double booking whatever form the actor takes (issue 19): a practitioner named as themselves
 * and through their PractitionerRole is one calendar; an actor given only by identifier is resolved
 * or refused; $find does not offer time a booking without a Slot holds; a patient named five times
 * gets one link; an Appointment cannot name hundreds of participants.
 */
@TelevisitIntegrationTest
class BookingByAnyNameTest extends FhirTestSupport {

  static final Instant TEN = Instant.parse("2031-04-07T10:00:00Z");

  @Autowired JoinLinks links;

  HttpResponse<String> book(Appointment a) throws Exception {
    return post(
        "/fhir/Appointment",
        "application/fhir+json",
        fhirContext.newJsonParser().encodeResourceToString(a));
  }

  IdType roleOf(IdType practitioner) {
    PractitionerRole role = new PractitionerRole();
    role.setPractitioner(new Reference(practitioner));
    return (IdType) fhir().create().resource(role).execute().getId().toUnqualifiedVersionless();
  }

  @Test
  void aPractitionerAndTheirRoleAreOneCalendarEvenUnderLoad() throws Exception {
    IdType practitioner = createPractitioner();
    IdType role = roleOf(practitioner);
    assertThat(book(bookedVisit(createPatient(), role, TEN)).statusCode()).isEqualTo(201);
    HttpResponse<String> again =
        book(bookedVisit(createPatient(), practitioner, TEN.plusSeconds(600)));
    assertThat(again.statusCode()).as(again.body()).isEqualTo(409);

    // twenty at once, half through the role, half directly: one winner
    Instant later = TEN.plusSeconds(7200);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Callable<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      IdType actor = i % 2 == 0 ? role : practitioner;
      IdType patient = createPatient();
      calls.add(() -> book(bookedVisit(patient, actor, later)).statusCode());
    }
    List<Integer> codes = new ArrayList<>();
    for (Future<Integer> f : pool.invokeAll(calls)) {
      codes.add(f.get());
    }
    pool.shutdown();
    assertThat(codes).filteredOn(c -> c == 201).hasSize(1);
    assertThat(codes).filteredOn(c -> c == 409).hasSize(19);
  }

  @Test
  void anActorGivenOnlyByIdentifierIsResolvedOrRefused() throws Exception {
    IdType practitioner = createPractitioner();
    Practitioner stored = fhir().read().resource(Practitioner.class).withId(practitioner).execute();
    assertThat(book(bookedVisit(createPatient(), practitioner, TEN)).statusCode()).isEqualTo(201);

    Appointment byIdentifier = bookedVisit(createPatient(), practitioner, TEN.plusSeconds(300));
    byIdentifier
        .getParticipant()
        .get(1)
        .setActor(new Reference().setIdentifier(stored.getIdentifierFirstRep().copy()));
    byIdentifier
        .addParticipant()
        .setActor(new Reference(practitioner))
        .setStatus(Appointment.ParticipationStatus.DECLINED);
    HttpResponse<String> clash = book(byIdentifier);
    assertThat(clash.statusCode()).as(clash.body()).isEqualTo(409);

    Appointment unknown =
        bookedVisit(createPatient(), createPractitioner(), TEN.plusSeconds(86_400));
    unknown
        .addParticipant()
        .setActor(
            new Reference()
                .setType("Practitioner")
                .setIdentifier(
                    new org.hl7.fhir.r4.model.Identifier().setSystem("urn:nobody").setValue("x")))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    HttpResponse<String> refused = book(unknown);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("OperationOutcome").contains("identifier");
  }

  @Test
  void findDoesNotOfferTimeABookingWithoutASlotHolds() throws Exception {
    IdType practitioner = createPractitioner();
    Schedule schedule = new Schedule();
    schedule.addActor(new Reference(practitioner));
    IdType scheduleId =
        (IdType) fhir().create().resource(schedule).execute().getId().toUnqualifiedVersionless();
    for (int k = 0; k < 2; k++) {
      Slot slot = new Slot();
      slot.setStatus(Slot.SlotStatus.FREE);
      slot.setSchedule(new Reference(scheduleId));
      slot.setStart(Date.from(TEN.plusSeconds(1200L * k)));
      slot.setEnd(Date.from(TEN.plusSeconds(1200L * (k + 1))));
      fhir().create().resource(slot).execute();
    }
    // booked through the role, without naming the Slot
    assertThat(book(bookedVisit(createPatient(), roleOf(practitioner), TEN)).statusCode())
        .isEqualTo(201);
    Parameters p = new Parameters();
    p.addParameter().setName("practitioner").setValue(new StringType(practitioner.getValue()));
    p.addParameter().setName("start").setValue(new DateTimeType(Date.from(TEN.minusSeconds(60))));
    p.addParameter().setName("end").setValue(new DateTimeType(Date.from(TEN.plusSeconds(3600))));
    Bundle offered =
        fhir()
            .operation()
            .onType(Appointment.class)
            .named("$find")
            .withParameters(p)
            .returnResourceType(Bundle.class)
            .execute();
    assertThat(offered.getEntry())
        .extracting(e -> ((Appointment) e.getResource()).getStart().toInstant())
        .containsExactly(TEN.plusSeconds(1200));
  }

  @Test
  void aPatientNamedFiveTimesGetsOneLinkAndHundredsOfParticipantsAreRefused() throws Exception {
    IdType patient = createPatient();
    Appointment fivefold = bookedVisit(patient, createPractitioner(), TEN.plusSeconds(86_400 * 2));
    for (int i = 0; i < 4; i++) {
      fivefold
          .addParticipant()
          .setActor(new Reference(patient))
          .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    }
    HttpResponse<String> booked = book(fivefold);
    assertThat(booked.statusCode()).as(booked.body()).isEqualTo(201);
    String id = new IdType(booked.headers().firstValue("Location").orElseThrow()).getIdPart();
    assertThat(links.ofAppointment("Appointment/" + id)).hasSize(1);

    Appointment crowd =
        bookedVisit(createPatient(), createPractitioner(), TEN.plusSeconds(86_400 * 3));
    for (int i = 0; i < 100; i++) {
      crowd
          .addParticipant()
          .setActor(new Reference(patient))
          .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    }
    HttpResponse<String> refused = book(crowd);
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
    assertThat(refused.body()).contains("at most 20 participants");
  }
}
