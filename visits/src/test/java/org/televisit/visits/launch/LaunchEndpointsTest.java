package org.televisit.visits.launch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.SimulatedEhr;
import org.televisit.support.TelevisitIntegrationTest;

/** /launch, /callback and the console context over HTTP, with a simulated external EHR. */
@TelevisitIntegrationTest
class LaunchEndpointsTest extends FhirTestSupport {

  final HttpClient browser =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  HttpResponse<String> open(String path) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base() + path))
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void anEhrLaunchEndsWithTheContextInTheSessionAndNoTokenInTheBrowser() throws Exception {
    WireMockServer ehr = SimulatedEhr.server();
    ehr.stubFor(
        WireMock.get("/fhir/.well-known/smart-configuration")
            .willReturn(
                aResponse()
                    .withBody(
                        """
        {"authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
         "capabilities":["launch-ehr","permission-v2"],"code_challenge_methods_supported":["S256"]}"""
                            .formatted(ehr.baseUrl()))));
    ehr.stubFor(
        WireMock.post("/token")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
        {"access_token":"secret-access-token","token_type":"Bearer","expires_in":3600,
         "scope":"launch user/Patient.rs user/Encounter.cruds","patient":"p-1","encounter":"e-1",
         "fhirContext":[{"reference":"Appointment/a-1"}]}""")));

    HttpResponse<String> launch =
        open("/launch?iss=" + q(SimulatedEhr.fhirBase()) + "&launch=opaque-launch");
    assertThat(launch.statusCode()).isEqualTo(302);
    URI authorize = URI.create(launch.headers().firstValue("Location").orElseThrow());
    AuthorizationRequest sent = AuthorizationRequest.parse(authorize);
    assertThat(sent.getRedirectionURI().toString()).isEqualTo(base() + "/callback");
    assertThat(sent.getCodeChallengeMethod().getValue()).isEqualTo("S256");
    assertThat(launch.headers().allValues("Set-Cookie"))
        .anySatisfy(c -> assertThat(c).contains("HttpOnly"));

    HttpResponse<String> callback =
        open("/callback?code=c-1&state=" + q(sent.getState().getValue()));
    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
    assertThat(callback.headers().firstValue("Location")).hasValue("/console");
    assertThat(callback.headers().allValues("Set-Cookie").toString())
        .doesNotContain("secret-access-token");

    HttpResponse<String> console = open("/console");
    assertThat(console.statusCode()).isEqualTo(200);
    assertThat(console.body())
        .contains("/api/console/visit/start")
        .doesNotContain("secret-access-token");
    // the EHR that launched it may frame the console; nobody may frame the other pages
    assertThat(console.headers().firstValue("Content-Security-Policy"))
        .hasValue("frame-ancestors 'self' " + SimulatedEhr.FRAMING_ORIGIN);
    assertThat(open("/sandbox").headers().firstValue("Content-Security-Policy"))
        .hasValue("frame-ancestors 'none'");
    assertThat(open("/sandbox").headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

    HttpResponse<String> context = open("/api/console/context");
    assertThat(context.statusCode()).isEqualTo(200);
    assertThat(context.body())
        .contains("\"patient\":\"p-1\"")
        .contains("\"encounter\":\"e-1\"")
        .contains("Appointment/a-1")
        .doesNotContain("secret-access-token");

    // the same callback again: the pending launch was used
    HttpResponse<String> replay = open("/callback?code=c-1&state=" + q(sent.getState().getValue()));
    assertThat(replay.statusCode()).isEqualTo(400);
    assertThat(replay.body()).contains("used already");
  }

  @Test
  void theClientKeysArePublishedWithoutTheirPrivatePart() throws Exception {
    HttpResponse<String> jwks = open("/.well-known/jwks.json");
    assertThat(jwks.statusCode()).isEqualTo(200);
    com.nimbusds.jose.jwk.JWKSet set = com.nimbusds.jose.jwk.JWKSet.parse(jwks.body());
    assertThat(set.getKeys())
        .isNotEmpty()
        .allSatisfy(
            k -> {
              assertThat(k.isPrivate()).isFalse();
              assertThat(k.getKeyID()).isNotBlank();
            });
    assertThat(jwks.body()).doesNotContain("\"d\"");
  }

  @Test
  void aStandaloneLaunchStartsFromAListOfRegisteredEhrs() throws Exception {
    HttpResponse<String> start = open("/launch");
    assertThat(start.statusCode()).isEqualTo(200);
    assertThat(start.body()).contains(SimulatedEhr.fhirBase()).contains("/launch?iss=");
  }

  @Test
  void refusalsArePagesWithASentence() throws Exception {
    HttpResponse<String> noIss = open("/launch?launch=x");
    assertThat(noIss.statusCode()).isEqualTo(400);
    assertThat(noIss.body()).contains("iss is missing").contains("launch Televisit again");

    HttpResponse<String> unregistered =
        open("/launch?iss=" + q("https://evil.example/fhir") + "&launch=x");
    assertThat(unregistered.statusCode()).isEqualTo(400);
    assertThat(unregistered.body()).contains("not registered");

    HttpResponse<String> stray = open("/callback?code=x&state=y");
    assertThat(stray.statusCode()).isEqualTo(400);
    assertThat(stray.body()).contains("does not belong to a launch");

    assertThat(open("/api/console/context").statusCode()).isEqualTo(401);
  }
}
