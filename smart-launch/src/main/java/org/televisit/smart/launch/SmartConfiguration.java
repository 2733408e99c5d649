package org.televisit.smart.launch;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import java.net.URI;
import java.util.List;
import net.minidev.json.JSONObject;

/**
 * An EHR's {@code .well-known/smart-configuration}, as far as Televisit relies on it. Parsing
 * refuses a document an EHR launch cannot be run against: no token or authorization endpoint, or no
 * S256 PKCE.
 */
public record SmartConfiguration(
    URI issuer,
    URI authorizationEndpoint,
    URI tokenEndpoint,
    URI jwksUri,
    URI introspectionEndpoint,
    URI revocationEndpoint,
    List<String> capabilities,
    List<String> codeChallengeMethods,
    List<String> scopesSupported,
    List<String> tokenEndpointAuthMethods) {

  /** The document is not one Televisit can launch against; the message says why. */
  public static final class Unusable extends RuntimeException {
    public Unusable(String message) {
      super(message);
    }
  }

  public static SmartConfiguration parse(JSONObject json) {
    try {
      URI token = JSONObjectUtils.getURI(json, "token_endpoint", null);
      URI authorize = JSONObjectUtils.getURI(json, "authorization_endpoint", null);
      if (token == null) {
        throw new Unusable("its SMART configuration has no token_endpoint");
      }
      if (authorize == null) {
        throw new Unusable(
            "its SMART configuration has no authorization_endpoint (needed for a launch)");
      }
      List<String> pkce = list(json, "code_challenge_methods_supported");
      if (!pkce.contains("S256")) {
        throw new Unusable("it does not support PKCE with S256 (code_challenge_methods_supported)");
      }
      return new SmartConfiguration(
          JSONObjectUtils.getURI(json, "issuer", null),
          authorize,
          token,
          JSONObjectUtils.getURI(json, "jwks_uri", null),
          JSONObjectUtils.getURI(json, "introspection_endpoint", null),
          JSONObjectUtils.getURI(json, "revocation_endpoint", null),
          list(json, "capabilities"),
          pkce,
          list(json, "scopes_supported"),
          list(json, "token_endpoint_auth_methods_supported"));
    } catch (ParseException e) {
      throw new Unusable("its SMART configuration is malformed: " + e.getMessage());
    }
  }

  private static List<String> list(JSONObject json, String key) throws ParseException {
    List<String> values = JSONObjectUtils.getStringList(json, key, List.of());
    return values == null ? List.of() : List.copyOf(values);
  }

  public boolean hasCapability(String capability) {
    return capabilities.contains(capability);
  }

  /**
   * SMART v2 scope syntax is used when the server says so (permission-v2) or lists v2 scopes; v1
   * (.read/.write) only when it gives no sign of v2.
   */
  public boolean supportsV2Scopes() {
    return hasCapability("permission-v2")
        || scopesSupported.stream()
            .anyMatch(s -> s.matches("^(patient|user|system)/.+\\.[cruds]+(\\?.*)?$"));
  }
}
