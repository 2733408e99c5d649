package org.televisit.smart.server;

import java.time.Instant;
import java.util.List;
import org.televisit.smart.scopes.Scopes;

/** A valid, unrevoked access token, read: who it was issued to and what it allows. */
public record VerifiedToken(
    String clientId,
    String subject,
    Scopes scopes,
    String patient,
    String encounter,
    List<String> fhirContext,
    String user,
    String grantId,
    Instant issuedAt,
    Instant expiresAt) {

  @Override
  public String toString() {
    return "VerifiedToken[client " + clientId + ", grant " + grantId + "]";
  }
}
