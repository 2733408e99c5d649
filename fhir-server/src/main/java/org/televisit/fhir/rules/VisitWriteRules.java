package org.televisit.fhir.rules;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.televisit.fhir.Appointments;

/**
 * The rules a visit's Appointment and Encounter must satisfy before they are stored. Pure functions
 * of the resource: no HAPI server, no Spring, so they are tested as plain values.
 */
public final class VisitWriteRules {

  public static final String ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
  public static final String VIRTUAL_CLASS = "VR";

  /** The code system of the rule named in a refusal's OperationOutcome. */
  public static final String RULE_SYSTEM = "urn:televisit:rule";

  /**
   * Refuses an Appointment or Encounter that breaks a rule: 422 whose OperationOutcome names each
   * broken rule. Other resources pass.
   */
  public static void enforce(IBaseResource resource) {
    List<Violation> violations;
    if (resource instanceof Appointment appointment) {
      violations = check(appointment);
    } else if (resource instanceof Encounter encounter) {
      violations = check(encounter);
    } else {
      return;
    }
    if (violations.isEmpty()) {
      return;
    }
    OperationOutcome outcome = new OperationOutcome();
    for (Violation violation : violations) {
      OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue();
      issue.setSeverity(OperationOutcome.IssueSeverity.ERROR);
      issue.setCode(OperationOutcome.IssueType.BUSINESSRULE);
      issue.setDiagnostics(violation.message());
      issue.getDetails().addCoding().setSystem(RULE_SYSTEM).setCode(violation.rule());
      issue.getDetails().setText(violation.message());
    }
    throw new UnprocessableEntityException(
        "Visit rule " + violations.get(0).rule() + " broken: " + violations.get(0).message(),
        outcome);
  }

  /** Encounter statuses at which the visit has started. */
  static final Set<EncounterStatus> STARTED =
      EnumSet.of(EncounterStatus.INPROGRESS, EncounterStatus.ONLEAVE, EncounterStatus.FINISHED);

  /** A broken rule: a stable code a client can branch on, and a sentence a person can act on. */
  public record Violation(String rule, String message) {}

  private VisitWriteRules() {}

  /**
   * People on one Appointment: a visit, its guests (interpreter, family, a second clinician) and
   * room to spare; more is a mistake or an attack (each patient participant gets a link and an
   * e-mail).
   */
  public static final int MAX_PARTICIPANTS = 20;

  public static List<Violation> check(Appointment appointment) {
    List<Violation> violations = new ArrayList<>();
    if (appointment.getParticipant().size() > MAX_PARTICIPANTS) {
      violations.add(
          new Violation(
              "appointment-participants",
              "An Appointment may name at most " + MAX_PARTICIPANTS + " participants."));
      return violations;
    }
    if (appointment.getStatus() == null) {
      violations.add(new Violation("appointment-status", "Appointment.status is required."));
      return violations;
    }
    if (!Appointments.SCHEDULED.contains(appointment.getStatus())) {
      return violations;
    }
    String status = appointment.getStatus().toCode();
    if (appointment.getStart() == null || appointment.getEnd() == null) {
      violations.add(
          new Violation(
              "appointment-times", "A " + status + " Appointment needs both start and end."));
    } else if (!appointment.getEnd().after(appointment.getStart())) {
      violations.add(
          new Violation("appointment-times", "Appointment.end must be after Appointment.start."));
    }
    boolean hasPatient = false;
    boolean hasClinician = false;
    for (Appointment.AppointmentParticipantComponent participant : appointment.getParticipant()) {
      String type = actorType(participant.getActor());
      hasPatient |= "Patient".equals(type);
      hasClinician |= "Practitioner".equals(type) || "PractitionerRole".equals(type);
    }
    if (!hasPatient) {
      violations.add(
          new Violation(
              "appointment-patient",
              "A " + status + " Appointment needs a participant whose actor is a Patient."));
    }
    if (!hasClinician) {
      violations.add(
          new Violation(
              "appointment-clinician",
              "A "
                  + status
                  + " Appointment needs a participant whose actor is a Practitioner or"
                  + " PractitionerRole."));
    }
    return violations;
  }

  public static List<Violation> check(Encounter encounter) {
    List<Violation> violations = new ArrayList<>();
    if (!encounter.hasClass_()) {
      // R4 makes class 1..1; without it we cannot tell a virtual visit from any other.
      violations.add(
          new Violation(
              "encounter-class",
              "Encounter.class is required (" + VIRTUAL_CLASS + " for a virtual visit)."));
    } else if (!VIRTUAL_CLASS.equals(encounter.getClass_().getCode())) {
      return violations;
    }
    if (encounter.getStatus() == null) {
      violations.add(new Violation("encounter-status", "Encounter.status is required."));
    }
    if (encounter.getSubject() == null || encounter.getSubject().isEmpty()) {
      violations.add(
          new Violation("encounter-subject", "A virtual visit Encounter needs a subject."));
    }
    if (encounter.getStatus() != null && STARTED.contains(encounter.getStatus())) {
      if (encounter.getPeriod().getStart() == null) {
        violations.add(
            new Violation(
                "encounter-period-start",
                "A virtual visit Encounter that is "
                    + encounter.getStatus().toCode()
                    + " needs period.start."));
      }
    }
    if (encounter.getStatus() == EncounterStatus.FINISHED
        && encounter.getPeriod().getEnd() == null) {
      violations.add(
          new Violation(
              "encounter-period-end", "A finished virtual visit Encounter needs period.end."));
    }
    if (encounter.getPeriod().getStart() != null
        && encounter.getPeriod().getEnd() != null
        && encounter.getPeriod().getEnd().before(encounter.getPeriod().getStart())) {
      violations.add(
          new Violation(
              "encounter-period-order", "Encounter.period.end must not be before period.start."));
    }
    return violations;
  }

  private static String actorType(Reference actor) {
    if (actor == null || actor.isEmpty()) {
      return null;
    }
    if (actor.hasReferenceElement() && actor.getReferenceElement().hasResourceType()) {
      return actor.getReferenceElement().getResourceType();
    }
    return actor.getType();
  }
}
