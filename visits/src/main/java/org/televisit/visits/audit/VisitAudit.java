package org.televisit.visits.audit;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.stereotype.Component;
import org.televisit.fhir.access.SmartAccessInterceptor;
import org.televisit.smart.server.VerifiedToken;

/**
 * AuditEvents of the visit's business actions (IHE BALP style): booking, hold, cancel, reschedule,
 * join links issued and checked, notifications sent. Written through the DAO, so inside a FHIR write's
 * transaction it commits or rolls back with the change it records. Never a secret, never PHI beyond
 * the references.
 */
@Component
public class VisitAudit {

  public static final String SUBTYPES = "urn:televisit:audit";
  static final String CLIENTS = "urn:televisit:smart:client";

  private final DaoRegistry daos;
  private final org.televisit.visits.authorization.SecurityAudit batches;

  VisitAudit(DaoRegistry daos, org.televisit.visits.authorization.SecurityAudit batches) {
    this.daos = daos;
    this.batches = batches;
  }

  /**
   * Records an action that changed nothing (a join link opened, a check passed) through the batched
   * writer: a busy waiting room must not wait for one FHIR write per page view.
   */
  public void recordLater(String action, boolean success, String appointment, String patient, String detail) {
    batches.later(build(action, success, appointment, patient, null, detail));
  }

  /** Records an action; {@code request} names the app that asked (its token), if any. */
  public void record(String action, boolean success, String appointment, String patient, RequestDetails request, String detail) {
    record(java.util.List.of(action), success, appointment, patient, request, detail);
  }

  /** Records one action that did several things (a booking that issued links): one event, a subtype each. */
  public void record(java.util.List<String> actions, boolean success, String appointment, String patient, RequestDetails request,
      String detail) {
    AuditEvent event = build(actions.get(0), success, appointment, patient, request, detail);
    actions.stream().skip(1).forEach(a -> event.addSubtype(new Coding(SUBTYPES, a, null)));
    daos.getResourceDao(AuditEvent.class).create(event, new SystemRequestDetails());
  }

  private static AuditEvent build(String action, boolean success, String appointment, String patient, RequestDetails request,
      String detail) {
    AuditEvent e = new AuditEvent();
    e.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
    e.addSubtype(new Coding(SUBTYPES, action, null));
    e.setAction(action.startsWith("link-check") ? AuditEvent.AuditEventAction.E
        : action.equals("book") || action.equals("hold") || action.equals("link-issued") ? AuditEvent.AuditEventAction.C
        : AuditEvent.AuditEventAction.U);
    e.setRecorded(new Date());
    e.setOutcome(success ? AuditEvent.AuditEventOutcome._0 : AuditEvent.AuditEventOutcome._4);
    if (detail != null) {
      e.setOutcomeDesc(detail);
    }
    AuditEvent.AuditEventAgentComponent agent = e.addAgent().setRequestor(true);
    VerifiedToken token = request == null ? null : (VerifiedToken) request.getUserData().get(SmartAccessInterceptor.TOKEN);
    if (token != null) {
      agent.setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENTS).setValue(token.clientId())));
      if (token.user() != null) {
        e.addAgent().setRequestor(false).setWho(new Reference(token.user()));
      }
    } else {
      agent.setWho(new Reference().setDisplay(action.startsWith("link-check") ? "join link holder" : "Televisit"));
    }
    e.getSource().setSite("Televisit").setObserver(new Reference().setDisplay("Televisit"));
    if (appointment != null) {
      e.addEntity().setWhat(new Reference(appointment))
          .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"));
    }
    if (patient != null) {
      e.addEntity().setWhat(new Reference(patient))
          .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
          .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "1", "Patient"));
    }
    return e;
  }
}
