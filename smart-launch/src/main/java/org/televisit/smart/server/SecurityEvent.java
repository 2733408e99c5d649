package org.televisit.smart.server;

/**
 * A security-relevant decision of the authorization server, for the audit trail. Carries ids only:
 * never a token, secret, code or anything about a patient beyond the grant's reference.
 */
public record SecurityEvent(Kind kind, String clientId, boolean success, String detail) {

  public enum Kind {
    AUTHORIZE,
    TOKEN,
    REFRESH,
    BACKEND_TOKEN,
    INTROSPECT,
    REVOKE,
    CLIENT_REGISTERED
  }

  /** Where events go; the application writes them as AuditEvents. */
  @FunctionalInterface
  public interface Sink {
    void record(SecurityEvent event);
  }
}
