package org.televisit.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/**
 * An EHR launch of Televisit from another EHR whose authorization server is simulated (WireMock):
 * its discovery, keys and token endpoint under {@code authPath}, the launch and callback through
 * Televisit, an id_token naming the clinician. The EHR's FHIR data is the caller's (stubs, or a
 * real FHIR server behind the same base).
 */
public final class OtherEhrLaunch {

  private OtherEhrLaunch() {}

  /** What the EHR launches with: its ids of the patient, encounter, appointment and clinician. */
  public record Context(
      String patient, String encounter, String appointment, String practitioner, String scope) {}

  /** Runs the launch and callback; returns the clinician's browser with the console's session. */
  public static Browser launch(
      String televisit,
      WireMockServer ehr,
      String iss,
      String authPath,
      String clientId,
      String clientAddress,
      Context context)
      throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).keyID("k-" + System.nanoTime()).generate();
    String fhirPath = URI.create(iss).getPath();
    ehr.stubFor(
        get(fhirPath + "/.well-known/smart-configuration")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
        {"issuer":"%1$s","authorization_endpoint":"%2$s%3$s/authorize","token_endpoint":"%2$s%3$s/token",
         "jwks_uri":"%2$s%3$s/jwks","capabilities":["launch-ehr","permission-v2","openid-connect"],
         "code_challenge_methods_supported":["S256"]}"""
                            .formatted(iss, ehr.baseUrl(), authPath))));
    ehr.stubFor(
        get(authPath + "/jwks")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(new JWKSet(key.toPublicJWK()).toString())));

    Browser clinician = new Browser(televisit, clientAddress);
    HttpResponse<String> launch =
        clinician.get("/launch?iss=" + q(iss) + "&launch=l-" + System.nanoTime());
    assertThat(launch.statusCode()).as(launch.body()).isEqualTo(302);
    AuthorizationRequest sent =
        AuthorizationRequest.parse(
            URI.create(launch.headers().firstValue("Location").orElseThrow()));
    String nonce = sent.getCustomParameter("nonce").get(0);
    SignedJWT idToken =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build(),
            new JWTClaimsSet.Builder()
                .issuer(iss)
                .audience(clientId)
                .subject(context.practitioner())
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .claim("nonce", nonce)
                .claim("fhirUser", iss + "/Practitioner/" + context.practitioner())
                .build());
    idToken.sign(new RSASSASigner(key));
    ehr.stubFor(
        post(authPath + "/token")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
        {"access_token":"%1$s","token_type":"Bearer","expires_in":3600,"id_token":"%2$s","scope":"%3$s",
         "patient":"%4$s","encounter":"%5$s","fhirContext":[{"reference":"Appointment/%6$s"}]}"""
                            .formatted(
                                accessToken(context),
                                idToken.serialize(),
                                context.scope(),
                                context.patient(),
                                context.encounter(),
                                context.appointment()))));
    HttpResponse<String> callback =
        clinician.get(
            "/callback?code=c-" + System.nanoTime() + "&state=" + q(sent.getState().getValue()));
    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
    return clinician;
  }

  /** The access token the simulated EHR grants for {@code context}. */
  public static String accessToken(Context context) {
    return "ehr-access-" + context.patient();
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
