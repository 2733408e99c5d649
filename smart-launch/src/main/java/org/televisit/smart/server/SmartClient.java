package org.televisit.smart.server;

import java.net.URI;
import java.util.List;

/**
 * An app registered with Televisit's authorization server: its exact redirect URIs, the scopes it
 * may ever be granted, how it authenticates, and (for apps the sandbox EHR can launch) its launch
 * URL.
 */
public record SmartClient(
    String clientId,
    String name,
    ClientType type,
    String secretHash,
    URI jwksUrl,
    String jwks,
    List<URI> redirectUris,
    List<String> scopes,
    URI launchUrl) {

  public SmartClient {
    redirectUris = List.copyOf(redirectUris);
    scopes = List.copyOf(scopes);
  }

  /** Exact string match, as OAuth 2.1 and SMART require: no prefix, no pattern, no normalising. */
  public boolean hasRedirectUri(URI uri) {
    return uri != null && redirectUris.stream().anyMatch(r -> r.toString().equals(uri.toString()));
  }

  @Override
  public String toString() {
    return "SmartClient[" + clientId + ", " + type + "]"; // never the secret hash or keys
  }
}
