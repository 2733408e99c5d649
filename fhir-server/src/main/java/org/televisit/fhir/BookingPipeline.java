package org.televisit.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Practitioner;
import org.televisit.fhir.rules.BaseValidation;
import org.televisit.fhir.rules.VisitWriteRules;
import org.televisit.fhir.sandbox.SandboxSeed;
import org.televisit.fhir.scheduling.DoubleBookingGuard;
import org.televisit.fhir.scheduling.SlotStatus;

/**
 * Every stored Appointment and Encounter, however it is written (REST, a transaction bundle, an
 * operation, another module in-process), goes through these steps in this order, just before commit
 * (when a bundle's references are resolved) and inside the write's transaction:
 *
 * <ol>
 *   <li>Televisit's visit rules (422 naming the rule);
 *   <li>base R4 validation (422 with the validator's outcome) — both checks before any side effect;
 *   <li>the double-booking guard: the practitioner's time and the Slots (409);
 *   <li>the Slots' status follows the Appointment;
 *   <li>other modules' {@link BookingEvents}: join links, messages, the booking's audit records.
 * </ol>
 *
 * A refusal at any step rolls the whole write back. Registered once, on HAPI's global interceptor
 * service, by {@link FhirEndpointConfig}; a step that is off (validation by configuration, the
 * scheduling steps in the benchmarks' baseline) is null.
 */
@Interceptor
public class BookingPipeline {

  private final boolean visitRules;
  private final BaseValidation validation;
  private final DoubleBookingGuard guard;
  private final SlotStatus slots;
  private final List<BookingEvents> events;

  public BookingPipeline(
      boolean visitRules,
      BaseValidation validation,
      DoubleBookingGuard guard,
      SlotStatus slots,
      List<BookingEvents> events) {
    this.visitRules = visitRules;
    this.validation = validation;
    this.guard = guard;
    this.slots = slots;
    this.events = List.copyOf(events);
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
  public void created(IBaseResource resource, RequestDetails request) {
    check(resource);
    if (resource instanceof Appointment appointment) {
      if (guard != null) {
        guard.reserve(
            appointment,
            false); // a new Appointment holds nothing yet (a deleted one released its time)
      }
      if (slots != null) {
        slots.apply(null, appointment);
      }
      if (!isSandboxSeed(request)) {
        events.forEach(e -> e.appointmentCreated(appointment, request));
      }
    }
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
  public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
    check(resource); // the new version
    if (resource instanceof Appointment appointment) {
      if (guard != null) {
        guard.reserve(appointment, true);
      }
      Appointment before = previous instanceof Appointment p ? p : null;
      if (slots != null) {
        slots.apply(before, appointment);
      }
      if (before != null && !isSandboxSeed(request)) {
        events.forEach(e -> e.appointmentUpdated(before, appointment, request));
      }
    } else if (resource instanceof Practitioner practitioner) {
      events.forEach(e -> e.practitionerUpdated(practitioner));
    }
  }

  @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
  public void deleted(IBaseResource resource) {
    if (resource instanceof Appointment appointment && guard != null) {
      guard.release(appointment);
    }
  }

  private void check(IBaseResource resource) {
    if (visitRules) {
      VisitWriteRules.enforce(resource);
    }
    if (validation != null) {
      validation.validate(resource);
    }
  }

  /**
   * The sandbox clinic's own demo visits get no links or e-mails (their patients' addresses are
   * fictional).
   */
  private static boolean isSandboxSeed(RequestDetails request) {
    return request instanceof SystemRequestDetails
        && Boolean.TRUE.equals(request.getUserData().get(SandboxSeed.SEED_MARK));
  }
}
