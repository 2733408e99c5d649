package org.televisit.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Practitioner;

/**
 * What another module does once an Appointment write has passed every check and its time is booked
 * (join links, messages, the booking's audit records): called by the {@link BookingPipeline} inside
 * the write's transaction, so if the write rolls back none of it happened. Not called for the
 * sandbox clinic's own seed data. Implementations are Spring beans.
 */
public interface BookingEvents {

  void appointmentCreated(Appointment appointment, RequestDetails request);

  void appointmentUpdated(Appointment before, Appointment after, RequestDetails request);

  /** A clinician's record changed (their name shows on links and pages). */
  default void practitionerUpdated(Practitioner practitioner) {}
}
