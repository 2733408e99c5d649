package org.televisit.smart.launch;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.net.URI;
import java.time.Instant;

/**
 * What Televisit remembers between sending the clinician to the EHR's authorize endpoint and the
 * callback: kept in the clinician's server-side session, used once, valid ten minutes.
 */
public record PendingLaunch(
    State state,
    Nonce nonce,
    CodeVerifier codeVerifier,
    RegisteredIssuer issuer,
    SmartConfiguration configuration,
    URI redirectUri,
    Instant expiresAt) {

  @Override
  public String toString() {
    return "PendingLaunch[" + issuer.fhirBase() + "]"; // never the state, nonce or verifier
  }
}
