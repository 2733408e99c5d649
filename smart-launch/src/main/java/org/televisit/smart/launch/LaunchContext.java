package org.televisit.smart.launch;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.televisit.smart.scopes.Scopes;

/**
 * The outcome of a launch, kept server-side in the clinician's session: tokens (never sent to the
 * browser) and the context the EHR launched with.
 */
public record LaunchContext(
    RegisteredIssuer issuer,
    String accessToken,
    String refreshToken,
    Instant accessTokenExpiresAt,
    Scopes granted,
    String patient,
    String encounter,
    List<String> fhirContext,
    boolean needPatientBanner,
    String smartStyleUrl,
    String intent,
    String tenant,
    URI fhirUser) {

  /** The same launch with the tokens of a refresh. */
  public LaunchContext withTokens(String access, String refresh, Instant expiresAt, Scopes scopes) {
    return new LaunchContext(
        issuer,
        access,
        refresh,
        expiresAt,
        scopes,
        patient,
        encounter,
        fhirContext,
        needPatientBanner,
        smartStyleUrl,
        intent,
        tenant,
        fhirUser);
  }

  @Override
  public String toString() {
    return "LaunchContext[" + issuer.fhirBase() + ", scopes " + granted + "]"; // no tokens, no PHI
  }
}
