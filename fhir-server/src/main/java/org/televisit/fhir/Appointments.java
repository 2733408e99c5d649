package org.televisit.fhir;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;

/**
 * What an Appointment's status means to Televisit, and how a visit's Appointment is named: defined
 * once.
 */
public final class Appointments {

  /** A real, scheduled meeting of patient and clinician: the visit rules apply. */
  public static final Set<AppointmentStatus> SCHEDULED =
      EnumSet.of(
          AppointmentStatus.PENDING,
          AppointmentStatus.BOOKED,
          AppointmentStatus.ARRIVED,
          AppointmentStatus.CHECKEDIN,
          AppointmentStatus.FULFILLED,
          AppointmentStatus.NOSHOW);

  /** The practitioner's time and the Slots are taken (a hold is pending). */
  public static final Set<AppointmentStatus> HOLDS_TIME =
      EnumSet.of(
          AppointmentStatus.PENDING,
          AppointmentStatus.BOOKED,
          AppointmentStatus.ARRIVED,
          AppointmentStatus.CHECKEDIN);

  /** The visit is on: its join links are live. */
  public static final Set<AppointmentStatus> LINKED =
      EnumSet.of(AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED, AppointmentStatus.CHECKEDIN);

  private Appointments() {}

  /** "Appointment/{id}", without base or version: the key of a visit in Televisit's tables. */
  public static String reference(Appointment appointment) {
    return "Appointment/" + appointment.getIdElement().getIdPart();
  }

  /** The Appointment's (first) patient participant. */
  public static Optional<String> patient(Appointment appointment) {
    return appointment.getParticipant().stream()
        .map(p -> p.getActor().getReferenceElement().toUnqualifiedVersionless().getValue())
        .filter(r -> r != null && r.startsWith("Patient/"))
        .findFirst();
  }
}
