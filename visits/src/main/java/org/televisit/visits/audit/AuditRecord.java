package org.televisit.visits.audit;

import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * What one of Televisit's audit events says (IHE BALP style): the few fields Televisit fills in,
 * from which {@link #toAuditEvent()} builds the FHIR AuditEvent. The audit trail stores Televisit's
 * events in this form (a small JSON object, cheap to write on a request's path) and builds the
 * AuditEvent when one is read. Ids and references only, never a token, a secret or PHI beyond the
 * references.
 *
 * @param type the event type
 * @param subtypes Televisit's action codes (urn:televisit:audit), the first is the main one
 * @param action AuditEvent.action: C, R, U, D or E
 * @param success outcome 0 (success) or 4 (minor failure)
 * @param detail outcomeDesc, may be null
 * @param client the SMART client id that asked, if any
 * @param user the user's FHIR reference (fhirUser), if any
 * @param requestor who asked, when no client is known (a join link holder, Televisit itself)
 * @param observer the part of Televisit that saw it
 * @param appointment the Appointment the event is about, if any
 * @param patient the Patient the event is about, if any
 * @param recorded when, in epoch milliseconds
 */
public record AuditRecord(
    Type type,
    List<String> subtypes,
    String action,
    boolean success,
    String detail,
    String client,
    String user,
    String requestor,
    String observer,
    String appointment,
    String patient,
    long recorded) {

  public static final String SUBTYPES = "urn:televisit:audit";
  public static final String CLIENTS = "urn:televisit:smart:client";

  /** The AuditEvent.type codings Televisit uses. */
  public enum Type {
    USER_AUTHENTICATION(
        "http://dicom.nema.org/resources/ontology/DCM", "110114", "User Authentication"),
    SECURITY_ALERT("http://dicom.nema.org/resources/ontology/DCM", "110113", "Security Alert"),
    REST("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation");

    private final String system;
    private final String code;
    private final String display;

    Type(String system, String code, String display) {
      this.system = system;
      this.code = code;
      this.display = display;
    }
  }

  public AuditRecord {
    subtypes = List.copyOf(subtypes);
  }

  public AuditEvent toAuditEvent() {
    AuditEvent e = new AuditEvent();
    e.setType(new Coding(type.system, type.code, type.display));
    subtypes.forEach(s -> e.addSubtype(new Coding(SUBTYPES, s, null)));
    e.setAction(AuditEvent.AuditEventAction.fromCode(action));
    e.setRecorded(new Date(recorded));
    e.setOutcome(success ? AuditEvent.AuditEventOutcome._0 : AuditEvent.AuditEventOutcome._4);
    if (detail != null) {
      e.setOutcomeDesc(detail);
    }
    AuditEvent.AuditEventAgentComponent agent = e.addAgent().setRequestor(true);
    if (client != null) {
      agent.setWho(
          new Reference().setIdentifier(new Identifier().setSystem(CLIENTS).setValue(client)));
    } else {
      agent.setWho(new Reference().setDisplay(requestor));
    }
    if (user != null) {
      e.addAgent().setRequestor(false).setWho(new Reference(user));
    }
    e.getSource().setSite("Televisit").setObserver(new Reference().setDisplay(observer));
    if (appointment != null) {
      e.addEntity()
          .setWhat(new Reference(appointment))
          .setType(
              new Coding(
                  "http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
    }
    if (patient != null) {
      e.addEntity()
          .setWhat(new Reference(patient))
          .setType(
              new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
          .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
    }
    return e;
  }
}
