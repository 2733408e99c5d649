package org.televisit.visits.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import java.util.List;
import org.springframework.stereotype.Component;
import org.televisit.fhir.access.SmartAccessInterceptor;
import org.televisit.smart.server.VerifiedToken;

/**
 * AuditEvents of the visit's business actions (IHE BALP style): booking, hold, cancel, reschedule,
 * join links issued and checked, notifications sent, the visit's steps. A change is recorded in its
 * own transaction (it commits or rolls back with the change); a check that changed nothing is
 * recorded on its own, before the caller answers. Both go to the {@link AuditTrail}, served as
 * /fhir/AuditEvent. Never a secret, never PHI beyond the references.
 */
@Component
public class VisitAudit {

  public static final String SUBTYPES = AuditRecord.SUBTYPES;

  private final AuditTrail trail;

  VisitAudit(AuditTrail trail) {
    this.trail = trail;
  }

  /**
   * Records an action that changed nothing (a join link opened, a check passed), committed on its
   * own so it outlives whatever the caller does next.
   */
  public void recordLater(
      String action, boolean success, String appointment, String patient, String detail) {
    trail.later(build(List.of(action), success, appointment, patient, null, detail));
  }

  /** Records an action; {@code request} names the app that asked (its token), if any. */
  public void record(
      String action,
      boolean success,
      String appointment,
      String patient,
      RequestDetails request,
      String detail) {
    record(List.of(action), success, appointment, patient, request, detail);
  }

  /**
   * Records one action that did several things (a booking that issued links): one event, a subtype
   * each, in the caller's transaction if there is one.
   */
  public void record(
      List<String> actions,
      boolean success,
      String appointment,
      String patient,
      RequestDetails request,
      String detail) {
    trail.withChange(build(actions, success, appointment, patient, request, detail));
  }

  private static AuditRecord build(
      List<String> actions,
      boolean success,
      String appointment,
      String patient,
      RequestDetails request,
      String detail) {
    String action = actions.get(0);
    VerifiedToken token =
        request == null
            ? null
            : (VerifiedToken) request.getUserData().get(SmartAccessInterceptor.TOKEN);
    return new AuditRecord(
        AuditRecord.Type.REST,
        actions,
        action.startsWith("link-check")
            ? "E"
            : action.equals("book") || action.equals("hold") || action.equals("link-issued")
                ? "C"
                : "U",
        success,
        detail,
        token == null ? null : token.clientId(),
        token == null ? null : token.user(),
        action.startsWith("link-check") ? "join link holder" : "Televisit",
        "Televisit",
        appointment,
        patient,
        System.currentTimeMillis());
  }
}
