package org.televisit.visits.authorization;

import java.util.List;
import org.springframework.stereotype.Component;
import org.televisit.fhir.access.SmartAccessInterceptor;
import org.televisit.smart.server.SecurityEvent;
import org.televisit.visits.audit.AuditRecord;
import org.televisit.visits.audit.AuditTrail;

/**
 * SMART security decisions as audit records (IHE BALP style): sign-ins, tokens issued and refused,
 * revocations, introspections (User Authentication), and every refusal on /fhir (Security Alert).
 * Who is the app's client id; the records go through the durable {@link AuditTrail}.
 */
@Component
public class SecurityAudit implements SecurityEvent.Sink, SmartAccessInterceptor.AccessDenials {

  private static final String OBSERVER = "Televisit authorization server";

  private final AuditTrail trail;

  SecurityAudit(AuditTrail trail) {
    this.trail = trail;
  }

  @Override
  public void record(SecurityEvent event) {
    trail.later(
        record(
            AuditRecord.Type.USER_AUTHENTICATION,
            event.kind().name().toLowerCase(),
            event.clientId(),
            event.success(),
            event.detail()));
  }

  @Override
  public void denied(String clientId, String resourceType, String operation, String reason) {
    trail.later(
        record(
            AuditRecord.Type.SECURITY_ALERT,
            "fhir-access-denied",
            clientId,
            false,
            operation + (resourceType != null ? " " + resourceType : "") + ": " + reason));
  }

  private static AuditRecord record(
      AuditRecord.Type type, String subtype, String clientId, boolean success, String detail) {
    return new AuditRecord(
        type,
        List.of(subtype),
        "E",
        success,
        detail,
        clientId,
        null,
        "unidentified caller",
        OBSERVER,
        null,
        null,
        System.currentTimeMillis());
  }
}
