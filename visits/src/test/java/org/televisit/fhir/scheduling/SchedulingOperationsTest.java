package org.televisit.fhir.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.televisit.smart.server.GrantContext;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * Appointment/$find, $hold and $book (IHE ITI Scheduling) over /fhir with a scheduler's system
 * token.
 */
@TelevisitIntegrationTest
class SchedulingOperationsTest extends FhirTestSupport {

  static final Instant NINE = Instant.parse("2031-04-07T09:00:00Z");

  @Autowired JdbcTemplate jdbc;
  @Autowired SchedulingOperations operations;
  IdType practitioner;
  IdType patient;
  IdType[] slots = new IdType[3];

  @BeforeEach
  void schedule() {
    practitioner = createPractitioner();
    patient = createPatient();
    Schedule schedule = new Schedule();
    schedule.addActor(new Reference(practitioner));
    IdType scheduleId =
        (IdType) fhir().create().resource(schedule).execute().getId().toUnqualifiedVersionless();
    for (int i = 0; i < 3; i++) {
      Slot slot = new Slot();
      slot.setSchedule(new Reference(scheduleId));
      slot.setStatus(Slot.SlotStatus.FREE);
      slot.setStart(Date.from(NINE.plusSeconds(1200L * i)));
      slot.setEnd(Date.from(NINE.plusSeconds(1200L * (i + 1))));
      slots[i] =
          (IdType) fhir().create().resource(slot).execute().getId().toUnqualifiedVersionless();
    }
  }

  Bundle find() {
    Parameters p = new Parameters();
    p.addParameter("practitioner", new StringType(practitioner.getValue()));
    p.addParameter("start", new DateTimeType(Date.from(NINE.minusSeconds(3600))));
    p.addParameter("end", new DateTimeType(Date.from(NINE.plusSeconds(3 * 3600))));
    return fhir()
        .operation()
        .onType(Appointment.class)
        .named("$find")
        .withParameters(p)
        .returnResourceType(Bundle.class)
        .execute();
  }

  Appointment call(String operation, Appointment a) {
    Parameters p = new Parameters();
    p.addParameter().setName("appointment").setResource(a);
    Bundle b =
        fhir()
            .operation()
            .onType(Appointment.class)
            .named(operation)
            .withParameters(p)
            .returnResourceType(Bundle.class)
            .execute();
    return (Appointment) b.getEntryFirstRep().getResource();
  }

  Slot.SlotStatus slotStatus(int i) {
    return fhir().read().resource(Slot.class).withId(slots[i].getIdPart()).execute().getStatus();
  }

  Appointment withPatient(Appointment proposal) {
    proposal
        .addParticipant()
        .setActor(new Reference(patient))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    proposal.getParticipant().forEach(p -> p.setStatus(Appointment.ParticipationStatus.ACCEPTED));
    return proposal;
  }

  @Test
  void findHoldAndBookAVisit() {
    Bundle proposals = find();
    assertThat(proposals.getEntry()).hasSize(3);
    Appointment first = (Appointment) proposals.getEntryFirstRep().getResource();
    assertThat(first.getStatus()).isEqualTo(Appointment.AppointmentStatus.PROPOSED);
    assertThat(first.getSlotFirstRep().getReference()).isEqualTo(slots[0].getValue());

    Appointment held = call("$hold", withPatient(first));
    assertThat(held.getStatus()).isEqualTo(Appointment.AppointmentStatus.PENDING);
    assertThat(slotStatus(0)).isEqualTo(Slot.SlotStatus.BUSYTENTATIVE);
    assertThat(find().getEntry()).hasSize(2);

    Appointment booked = call("$book", held);
    assertThat(booked.getIdElement().getIdPart()).isEqualTo(held.getIdElement().getIdPart());
    assertThat(booked.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
    assertThat(slotStatus(0)).isEqualTo(Slot.SlotStatus.BUSY);
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM televisit.join_link WHERE appointment = ?",
                Integer.class,
                "Appointment/" + booked.getIdElement().getIdPart()))
        .isEqualTo(1);

    booked.setStatus(Appointment.AppointmentStatus.CANCELLED);
    fhir().update().resource(booked).execute();
    assertThat(slotStatus(0)).as("cancelling frees the slot").isEqualTo(Slot.SlotStatus.FREE);
    // each step of the scheduler's leaves its AuditEvent about the Appointment
    assertThat(auditSubtypesAbout("Appointment/" + booked.getIdElement().getIdPart()))
        .contains("hold", "book", "link-issued", "cancel");
  }

  @Test
  void anExpiredHoldIsReleased() {
    Appointment second = (Appointment) find().getEntry().get(1).getResource();
    Appointment held = call("$hold", withPatient(second));
    jdbc.update(
        "UPDATE televisit.appointment_hold SET expires_at = ? WHERE appointment = ?",
        java.sql.Timestamp.from(Instant.now().minusSeconds(1)),
        "Appointment/" + held.getIdElement().getIdPart());
    assertThat(operations.releaseExpiredHolds()).isGreaterThanOrEqualTo(1);
    assertThat(
            fhir()
                .read()
                .resource(Appointment.class)
                .withId(held.getIdElement().getIdPart())
                .execute()
                .getStatus())
        .isEqualTo(Appointment.AppointmentStatus.CANCELLED);
    assertThat(slotStatus(1)).isEqualTo(Slot.SlotStatus.FREE);
  }

  @Test
  void aSlotIsBookedOnceAndOnlyAHeldAppointmentCanBeConfirmed() {
    Appointment third = withPatient((Appointment) find().getEntry().get(2).getResource());
    call("$book", third.copy());
    assertThatThrownBy(() -> call("$book", third.copy()))
        .isInstanceOf(ResourceVersionConflictException.class);
    assertThat(slotStatus(2)).isEqualTo(Slot.SlotStatus.BUSY);
  }

  @Test
  void schedulingOperationsNeedTheRightScopes() throws Exception {
    String readOnly =
        token("system/Appointment.rs system/Slot.rs system/Schedule.rs", GrantContext.none());
    var find =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        base()
                            + "/fhir/Appointment/$find?practitioner="
                            + practitioner.getValue()
                            + "&start=2031-04-07T08:00:00Z&end=2031-04-07T12:00:00Z"))
                .header("Authorization", "Bearer " + readOnly)
                .GET()
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(find.statusCode()).as(find.body()).isEqualTo(200);
    var hold =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base() + "/fhir/Appointment/$hold"))
                .header("Authorization", "Bearer " + readOnly)
                .header("Content-Type", "application/fhir+json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"resourceType\":\"Parameters\"}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(hold.statusCode()).isEqualTo(403);
    assertThat(hold.body()).contains("$hold");
  }
}
