package org.televisit.smart.server;

import java.net.URI;

/**
 * The absolute addresses of Televisit's FHIR API and authorization server under one public base
 * URL. The FHIR base is also the OpenID issuer and the audience of every access token.
 */
public record ServerUrls(
    URI fhirBase,
    URI issuer,
    URI authorize,
    URI token,
    URI introspect,
    URI revoke,
    URI jwks,
    URI style) {

  public static ServerUrls under(URI publicBase) {
    String base = publicBase.toString().replaceAll("/+$", "");
    return new ServerUrls(
        URI.create(base + "/fhir"),
        URI.create(base + "/fhir"),
        URI.create(base + "/oauth/authorize"),
        URI.create(base + "/oauth/token"),
        URI.create(base + "/oauth/introspect"),
        URI.create(base + "/oauth/revoke"),
        URI.create(base + "/oauth/jwks"),
        URI.create(base + "/smart-style.json"));
  }

  /** An absolute URL for a reference such as Practitioner/12 (fhirUser wants a URL). */
  public URI absolute(String reference) {
    return reference == null ? null : URI.create(fhirBase + "/" + reference);
  }

  /** Whether {@code aud} names this FHIR base (a trailing slash aside). */
  public boolean isAudience(String aud) {
    return aud != null && aud.replaceAll("/+$", "").equals(fhirBase.toString());
  }
}
