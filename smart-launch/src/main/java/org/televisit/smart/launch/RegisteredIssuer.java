package org.televisit.smart.launch;

import java.net.URI;

/**
 * An EHR Televisit may be launched from, as the hospital registered it: its FHIR base (iss), the
 * client id the EHR gave Televisit, how Televisit authenticates at its token endpoint, the scopes
 * to ask for, and whether the visit's Encounter may be written back to it.
 */
public record RegisteredIssuer(
    URI fhirBase,
    String clientId,
    ClientAuth clientAuth,
    String clientSecret,
    String privateJwk,
    String scopes,
    boolean encounterWriteBack) {

  public enum ClientAuth {
    PUBLIC,
    CLIENT_SECRET_BASIC,
    PRIVATE_KEY_JWT
  }

  @Override
  public String toString() {
    return "RegisteredIssuer[" + fhirBase + ", client " + clientId + ", " + clientAuth + "]";
  }
}
