package org.televisit.fhir.scheduling;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Schedule;
import org.hl7.fhir.r4.model.Slot;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * IHE ITI Scheduling (after Argonaut Scheduling) on Appointment: $find turns a practitioner's free
 * Slots in a period into proposed Appointments; $hold makes a pending Appointment that takes its
 * Slot busy-tentative for a limited time; $book confirms one (a held one by id, or a new one) in
 * one transaction. The double-booking guard, the Slot status, the join links and the audit run on
 * the writes these make, as on any other booking.
 */
public class SchedulingOperations {

  private final DaoRegistry daos;
  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final Duration holdFor;
  private final Clock clock = Clock.systemUTC();

  private final Calendars calendars;

  public SchedulingOperations(
      DaoRegistry daos,
      JdbcTemplate jdbc,
      PlatformTransactionManager transactions,
      Duration holdFor) {
    this.calendars = new Calendars(daos);
    this.daos = daos;
    this.jdbc = jdbc;
    this.transaction = new TransactionTemplate(transactions);
    this.holdFor = holdFor;
  }

  @Operation(name = "$find", idempotent = true, type = Appointment.class)
  public Bundle find(
      @OperationParam(name = "practitioner", min = 1) StringType practitioner,
      @OperationParam(name = "start", min = 1) DateTimeType start,
      @OperationParam(name = "end", min = 1) DateTimeType end,
      RequestDetails request) {
    if (!end.getValue().after(start.getValue())) {
      throw new InvalidRequestException("$find: end must be after start");
    }
    if (Duration.between(start.getValue().toInstant(), end.getValue().toInstant()).toDays() > 31) {
      throw new InvalidRequestException("$find: at most 31 days at a time");
    }
    String actor = practitioner.getValue();
    SearchParameterMap schedules =
        SearchParameterMap.newSynchronous(Schedule.SP_ACTOR, new ReferenceParam(actor));
    ReferenceOrListParam ofActor = new ReferenceOrListParam();
    for (IBaseResource s :
        daos.getResourceDao(Schedule.class)
            .search(schedules, new SystemRequestDetails())
            .getAllResources()) {
      ofActor.addOr(new ReferenceParam("Schedule/" + s.getIdElement().getIdPart()));
    }
    Bundle proposals = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    if (ofActor.getValuesAsQueryTokens().isEmpty()) {
      return proposals.setTotal(0);
    }
    SearchParameterMap slots = SearchParameterMap.newSynchronous();
    slots.add(Slot.SP_SCHEDULE, ofActor);
    slots.add(Slot.SP_STATUS, new TokenParam("free"));
    slots.add(Slot.SP_START, new DateRangeParam(start.getValue(), end.getValue()));
    slots.setSort(new SortSpec(Slot.SP_START));
    List<IBaseResource> free =
        daos.getResourceDao(Slot.class).search(slots, new SystemRequestDetails()).getAllResources();
    // time booked without a Slot (a plain POST of an Appointment) is taken too, whatever the Slot
    // says
    List<Instant[]> taken =
        jdbc.query(
            "SELECT starts_at, ends_at FROM televisit.booked_time WHERE actor = ? AND starts_at < ?"
                + " AND ends_at > ?",
            (rs, n) ->
                new Instant[] {rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant()},
            calendars.ofActor(actor),
            new Timestamp(end.getValue().getTime()),
            new Timestamp(start.getValue().getTime()));
    for (IBaseResource r : free) {
      Slot slot = (Slot) r;
      if (slot.getEnd().after(end.getValue())) {
        continue;
      }
      Instant from = slot.getStart().toInstant();
      Instant until = slot.getEnd().toInstant();
      if (taken.stream().anyMatch(t -> t[0].isBefore(until) && t[1].isAfter(from))) {
        continue;
      }
      Appointment proposal = new Appointment();
      proposal.setStatus(Appointment.AppointmentStatus.PROPOSED);
      proposal.setStart(slot.getStart());
      proposal.setEnd(slot.getEnd());
      proposal.addSlot(new Reference("Slot/" + slot.getIdElement().getIdPart()));
      proposal
          .addParticipant()
          .setActor(new Reference(actor))
          .setStatus(Appointment.ParticipationStatus.NEEDSACTION);
      slot.getServiceType().forEach(t -> proposal.addServiceType(t.copy()));
      proposals.addEntry().setResource(proposal).getSearch().setMode(Bundle.SearchEntryMode.MATCH);
    }
    return proposals.setTotal(proposals.getEntry().size());
  }

  @Operation(name = "$hold", type = Appointment.class)
  public Bundle hold(
      @OperationParam(name = "appointment", min = 1, max = 1) Appointment appointment,
      RequestDetails request) {
    requireAppointment("$hold", appointment);
    if (!appointment.hasSlot()) {
      throw new InvalidRequestException("$hold: the appointment must name the Slot it holds");
    }
    Appointment held =
        transaction.execute(
            status -> {
              Appointment a = appointment.copy();
              a.setId((String) null);
              a.setStatus(Appointment.AppointmentStatus.PENDING);
              IdType id =
                  (IdType) daos.getResourceDao(Appointment.class).create(a, request).getId();
              jdbc.update(
                  "INSERT INTO televisit.appointment_hold (appointment, expires_at) VALUES (?, ?)",
                  "Appointment/" + id.getIdPart(),
                  Timestamp.from(clock.instant().plus(holdFor)));
              return (Appointment)
                  daos.getResourceDao(Appointment.class)
                      .read(id.toUnqualifiedVersionless(), request);
            });
    return new Bundle()
        .setType(Bundle.BundleType.COLLECTION)
        .addEntry(new Bundle.BundleEntryComponent().setResource(held));
  }

  @Operation(name = "$book", type = Appointment.class)
  public Bundle book(
      @OperationParam(name = "appointment", min = 1, max = 1) Appointment appointment,
      RequestDetails request) {
    requireAppointment("$book", appointment);
    Appointment booked =
        transaction.execute(
            status -> {
              Appointment a = appointment.copy();
              a.setStatus(Appointment.AppointmentStatus.BOOKED);
              IdType id;
              if (a.getIdElement().hasIdPart()) {
                String ref = "Appointment/" + a.getIdElement().getIdPart();
                Appointment current;
                try {
                  current =
                      (Appointment)
                          daos.getResourceDao(Appointment.class).read(new IdType(ref), request);
                } catch (ResourceNotFoundException e) {
                  throw new InvalidRequestException(
                      "$book: " + ref + " does not exist; book without an id to create it");
                }
                if (current.getStatus() != Appointment.AppointmentStatus.PENDING) {
                  throw new InvalidRequestException(
                      "$book: "
                          + ref
                          + " is "
                          + current.getStatus().toCode()
                          + ", not a held (pending) appointment");
                }
                a.setId(ref);
                id = (IdType) daos.getResourceDao(Appointment.class).update(a, request).getId();
                jdbc.update("DELETE FROM televisit.appointment_hold WHERE appointment = ?", ref);
              } else {
                id = (IdType) daos.getResourceDao(Appointment.class).create(a, request).getId();
              }
              return (Appointment)
                  daos.getResourceDao(Appointment.class)
                      .read(id.toUnqualifiedVersionless(), request);
            });
    return new Bundle()
        .setType(Bundle.BundleType.COLLECTION)
        .addEntry(new Bundle.BundleEntryComponent().setResource(booked));
  }

  /** HAPI passes null when the parameter holds no resource, or one of another type. */
  private static void requireAppointment(String operation, Appointment appointment) {
    if (appointment == null) {
      throw new InvalidRequestException(
          operation + ": the parameter 'appointment' must hold an Appointment resource");
    }
  }

  /** Holds that ran out: the pending Appointment is cancelled, which frees its Slot and time. */
  @Scheduled(
      initialDelayString = "PT10S",
      fixedDelayString = "${televisit.scheduling.hold-sweep:PT15S}")
  public int releaseExpiredHolds() {
    List<String> expired =
        jdbc.queryForList(
            "SELECT appointment FROM televisit.appointment_hold WHERE expires_at <= ?",
            String.class,
            Timestamp.from(clock.instant()));
    for (String ref : expired) {
      transaction.executeWithoutResult(
          status -> {
            try {
              Appointment a =
                  (Appointment)
                      daos.getResourceDao(Appointment.class)
                          .read(new IdType(ref), new SystemRequestDetails());
              if (a.getStatus() == Appointment.AppointmentStatus.PENDING) {
                a.setStatus(Appointment.AppointmentStatus.CANCELLED);
                a.setCancelationReason(new CodeableConcept().setText("hold expired"));
                daos.getResourceDao(Appointment.class).update(a, new SystemRequestDetails());
              }
            } catch (ResourceNotFoundException e) {
              // deleted meanwhile: only the hold row is left to remove
            }
            jdbc.update("DELETE FROM televisit.appointment_hold WHERE appointment = ?", ref);
          });
    }
    return expired.size();
  }
}
