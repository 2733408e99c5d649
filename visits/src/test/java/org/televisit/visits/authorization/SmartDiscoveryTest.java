package org.televisit.visits.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.televisit.smart.launch.SmartConfiguration;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * {fhir}/.well-known/smart-configuration, JWKS and CORS, as a SMART app in a browser would read
 * them.
 */
@TelevisitIntegrationTest
class SmartDiscoveryTest extends FhirTestSupport {

  HttpResponse<String> fetch(String method, String path, String origin) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (origin != null) {
      b.header("Origin", origin);
      if ("OPTIONS".equals(method)) {
        b.header("Access-Control-Request-Method", "POST");
      }
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void discoveryHasTheRequiredFieldsAndCapabilities() throws Exception {
    HttpResponse<String> response = fetch("GET", "/fhir/.well-known/smart-configuration", null);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/json");
    Map<String, Object> json = JSONObjectUtils.parse(response.body());
    assertThat(json.get("issuer")).isEqualTo(base() + "/fhir");
    assertThat(json.get("token_endpoint")).isEqualTo(base() + "/oauth/token");
    assertThat(json.get("authorization_endpoint")).isEqualTo(base() + "/oauth/authorize");
    assertThat(json.get("jwks_uri")).isEqualTo(base() + "/oauth/jwks");
    assertThat(json.get("introspection_endpoint")).isEqualTo(base() + "/oauth/introspect");
    assertThat(json.get("revocation_endpoint")).isEqualTo(base() + "/oauth/revoke");
    assertThat(JSONObjectUtils.getStringList(json, "code_challenge_methods_supported"))
        .containsExactly("S256");
    assertThat(JSONObjectUtils.getStringList(json, "grant_types_supported"))
        .contains("authorization_code", "client_credentials", "refresh_token");
    assertThat(
            JSONObjectUtils.getStringList(json, "token_endpoint_auth_signing_alg_values_supported"))
        .contains("RS384", "ES384");
    assertThat(JSONObjectUtils.getStringList(json, "capabilities"))
        .contains(
            "launch-ehr",
            "client-public",
            "client-confidential-symmetric",
            "client-confidential-asymmetric",
            "context-ehr-patient",
            "context-ehr-encounter",
            "context-banner",
            "context-style",
            "permission-user",
            "permission-patient",
            "permission-v2",
            "sso-openid-connect",
            "authorize-post");
    assertThat(JSONObjectUtils.getStringList(json, "scopes_supported"))
        .contains(
            "openid",
            "fhirUser",
            "profile",
            "launch",
            "launch/patient",
            "launch/encounter",
            "offline_access");
    // Televisit's own app side accepts it (S256, endpoints, v2)
    SmartConfiguration parsed =
        SmartConfiguration.parse(
            net.minidev.json.JSONValue.parse(response.body(), net.minidev.json.JSONObject.class));
    assertThat(parsed.supportsV2Scopes()).isTrue();

    Map<String, Object> oidc =
        JSONObjectUtils.parse(fetch("GET", "/fhir/.well-known/openid-configuration", null).body());
    assertThat(oidc.get("issuer")).isEqualTo(base() + "/fhir");
    assertThat(JSONObjectUtils.getStringList(oidc, "id_token_signing_alg_values_supported"))
        .contains("RS256");
  }

  @Test
  void theJwksHoldsOnlyPublicKeys() throws Exception {
    JWKSet keys = JWKSet.parse(fetch("GET", "/oauth/jwks", null).body());
    assertThat(keys.getKeys()).isNotEmpty().allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
  }

  @Test
  void browserAppsMayReadDiscoveryMetadataAndCallTheTokenEndpoint() throws Exception {
    String origin = "https://app.example.org";
    for (String path : new String[] {"/fhir/.well-known/smart-configuration", "/fhir/metadata"}) {
      assertThat(fetch("GET", path, origin).headers().firstValue("Access-Control-Allow-Origin"))
          .as(path)
          .contains("*");
    }
    HttpResponse<String> preflight = fetch("OPTIONS", "/oauth/token", origin);
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("POST");
    // no CORS where cookies matter
    assertThat(
            fetch("GET", "/oauth/authorize", origin)
                .headers()
                .firstValue("Access-Control-Allow-Origin"))
        .isEmpty();
  }
}
