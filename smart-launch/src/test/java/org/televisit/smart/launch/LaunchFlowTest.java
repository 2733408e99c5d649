package org.televisit.smart.launch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The app side of an EHR launch against a simulated EHR (WireMock): every way it can go wrong. */
class LaunchFlowTest {

  static RSAKey ehrKey;
  static RSAKey otherKey;
  static RSAKey clientKey;

  WireMockServer ehr;
  URI iss;
  URI callback = URI.create("https://televisit.example/callback");
  LaunchFlow flow;

  @BeforeAll
  static void keys() throws Exception {
    ehrKey = new RSAKeyGenerator(2048).keyID("ehr-1").generate();
    otherKey = new RSAKeyGenerator(2048).keyID("ehr-1").generate(); // same kid, wrong key
    clientKey = new RSAKeyGenerator(2048).keyID("televisit-1").generate();
  }

  @BeforeEach
  void startEhr() {
    ehr = new WireMockServer(WireMockConfiguration.options().dynamicPort());
    ehr.start();
    iss = URI.create(ehr.baseUrl() + "/fhir");
    ehr.stubFor(
        get("/fhir/.well-known/smart-configuration")
            .willReturn(
                aResponse()
                    .withBody(
                        """
        {"issuer":"%1$s/fhir","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
         "jwks_uri":"%1$s/jwks","capabilities":["launch-ehr","launch-standalone","permission-v2","sso-openid-connect"],
         "code_challenge_methods_supported":["S256"]}"""
                            .formatted(ehr.baseUrl()))));
    ehr.stubFor(
        get("/jwks").willReturn(aResponse().withBody(new JWKSet(ehrKey.toPublicJWK()).toString())));
    flow = flowWith(RegisteredIssuer.ClientAuth.PUBLIC);
  }

  LaunchFlow flowWith(RegisteredIssuer.ClientAuth auth) {
    RegisteredIssuer issuer =
        new RegisteredIssuer(
            iss,
            "televisit-client",
            auth,
            auth == RegisteredIssuer.ClientAuth.CLIENT_SECRET_BASIC ? "s3cret" : null,
            auth == RegisteredIssuer.ClientAuth.PRIVATE_KEY_JWT ? clientKey.toJSONString() : null,
            "openid fhirUser user/Patient.rs user/Encounter.cruds user/Appointment.rs",
            true);
    return new LaunchFlow(
        new IssuerRegistry(List.of(issuer)),
        new SmartDiscovery(
            Duration.ofMinutes(5),
            Duration.ofMillis(2_000),
            Duration.ofMillis(2_000),
            Clock.systemUTC()),
        Clock.systemUTC(),
        Duration.ofMillis(2_000),
        Duration.ofMillis(2_000));
  }

  @AfterEach
  void stop() {
    ehr.stop();
  }

  String idToken(RSAKey key, LaunchFlow.Authorization a, Consumer<JWTClaimsSet.Builder> change)
      throws Exception {
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(ehr.baseUrl() + "/fhir")
            .subject("practitioner-7")
            .audience("televisit-client")
            .issueTime(new Date())
            .expirationTime(Date.from(Instant.now().plusSeconds(300)))
            .claim("nonce", a.pending().nonce().getValue())
            .claim("fhirUser", ehr.baseUrl() + "/fhir/Practitioner/7");
    change.accept(claims);
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
            claims.build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  void tokenEndpointReturns(String idToken) {
    ehr.stubFor(
        post("/token")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withHeader("Cache-Control", "no-store")
                    .withBody(
                        """
        {"access_token":"at-123","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-456",
         "scope":"launch openid fhirUser user/Patient.rs user/Encounter.cruds user/Appointment.rs",
         "id_token":"%s","patient":"123","encounter":"enc-9",
         "fhirContext":[{"reference":"Appointment/appt-1"}],"need_patient_banner":false,
         "smart_style_url":"%s/style.json","intent":"visit"}"""
                            .formatted(idToken, ehr.baseUrl()))));
  }

  LaunchFlow.Authorization launch() {
    return flow.authorize(iss.toString(), "launch-xyz", callback);
  }

  @Test
  void anEhrLaunchSendsAStrictAuthorizeRequestAndReturnsTheContext() throws Exception {
    LaunchFlow.Authorization a = launch();
    AuthorizationRequest sent = AuthorizationRequest.parse(a.redirect());
    assertThat(sent.getEndpointURI().toString()).isEqualTo(ehr.baseUrl() + "/authorize");
    assertThat(sent.getResponseType().toString()).isEqualTo("code");
    assertThat(sent.getCodeChallengeMethod().getValue()).isEqualTo("S256");
    assertThat(sent.getCustomParameter("aud")).containsExactly(iss.toString());
    assertThat(sent.getCustomParameter("launch")).containsExactly("launch-xyz");
    assertThat(sent.getCustomParameter("nonce")).containsExactly(a.pending().nonce().getValue());
    assertThat(sent.getScope().toString())
        .startsWith("launch ")
        .contains("openid")
        .contains("user/Encounter.cruds");
    assertThat(sent.getState()).isEqualTo(a.pending().state());
    assertThat(sent.getRedirectionURI()).isEqualTo(callback);

    tokenEndpointReturns(idToken(ehrKey, a, c -> {}));
    LaunchContext context =
        flow.complete(a.pending(), a.pending().state().getValue(), "code-1", null, null);
    assertThat(context.patient()).isEqualTo("123");
    assertThat(context.encounter()).isEqualTo("enc-9");
    assertThat(context.fhirContext()).containsExactly("Appointment/appt-1");
    assertThat(context.needPatientBanner()).isFalse();
    assertThat(context.intent()).isEqualTo("visit");
    assertThat(context.fhirUser().toString()).endsWith("/fhir/Practitioner/7");
    assertThat(context.accessToken()).isEqualTo("at-123");
    assertThat(context.refreshToken()).isEqualTo("rt-456");
    assertThat(context.toString()).doesNotContain("at-123").doesNotContain("123\"");
    ehr.verify(
        postRequestedFor(urlEqualTo("/token"))
            .withRequestBody(containing("code_verifier=" + a.pending().codeVerifier().getValue()))
            .withRequestBody(containing("client_id=televisit-client"))
            .withRequestBody(containing("grant_type=authorization_code")));
  }

  @Test
  void aStandaloneLaunchAsksForLaunchPatient() {
    LaunchFlow.Authorization a = flow.authorize(iss.toString(), null, callback);
    assertThat(a.redirect().getQuery()).contains("launch/patient").doesNotContain("launch=");
  }

  @Test
  void anUnregisteredIssuerIsRefusedWithoutAnyFetch() {
    assertThatThrownBy(() -> flow.authorize("https://evil.example/fhir", "l", callback))
        .isInstanceOf(LaunchRefused.class)
        .hasMessageContaining("not registered");
    assertThatThrownBy(() -> flow.authorize(ehr.baseUrl() + "/fhir/../admin", "l", callback))
        .isInstanceOf(LaunchRefused.class);
    ehr.verify(0, getRequestedFor(urlEqualTo("/fhir/.well-known/smart-configuration")));
  }

  @Test
  void discoveryDownIsAPageNotACrash() {
    ehr.stubFor(
        get("/fhir/.well-known/smart-configuration").willReturn(aResponse().withStatus(500)));
    assertThatThrownBy(this::launch)
        .isInstanceOf(LaunchRefused.class)
        .hasMessageContaining("HTTP 500");
  }

  @Test
  void aWrongMissingOrReplayedStateIsRefused() throws Exception {
    LaunchFlow.Authorization a = launch();
    tokenEndpointReturns(idToken(ehrKey, a, c -> {}));
    assertThatThrownBy(() -> flow.complete(a.pending(), "forged", "code", null, null))
        .hasMessageContaining("did not match");
    assertThatThrownBy(() -> flow.complete(a.pending(), null, "code", null, null))
        .hasMessageContaining("did not match");
    // the session held nothing: a callback replayed after the launch used its pending state
    assertThatThrownBy(
            () -> flow.complete(null, a.pending().state().getValue(), "code", null, null))
        .hasMessageContaining("used already");
    ehr.verify(0, postRequestedFor(urlEqualTo("/token")));
  }

  @Test
  void anEhrErrorRedirectIsShownPlainly() {
    LaunchFlow.Authorization a = launch();
    assertThatThrownBy(
            () ->
                flow.complete(
                    a.pending(),
                    a.pending().state().getValue(),
                    null,
                    "access_denied",
                    "<script>alert(1)</script> user said no"))
        .hasMessageContaining("access_denied")
        .hasMessageNotContaining("<script>");
  }

  @Test
  void idTokenProblemsAreRefused() throws Exception {
    record Case(String name, RSAKey key, Consumer<JWTClaimsSet.Builder> change) {}
    List<Case> cases =
        List.of(
            new Case("wrong aud", ehrKey, c -> c.audience("someone-else")),
            new Case(
                "expired",
                ehrKey,
                c -> c.expirationTime(Date.from(Instant.now().minusSeconds(600)))),
            new Case("wrong nonce", ehrKey, c -> c.claim("nonce", "not-the-nonce")),
            new Case("wrong issuer", ehrKey, c -> c.issuer("https://other.example")),
            new Case("bad signature", otherKey, c -> {}));
    for (Case k : cases) {
      LaunchFlow.Authorization a = launch();
      tokenEndpointReturns(idToken(k.key(), a, k.change()));
      assertThatThrownBy(
              () -> flow.complete(a.pending(), a.pending().state().getValue(), "code", null, null))
          .as(k.name())
          .isInstanceOf(LaunchRefused.class)
          .hasMessageContaining("identity token could not be verified");
    }
  }

  @Test
  void anUnknownKidMakesTheKeysBeFetchedAgainOnce() throws Exception {
    LaunchFlow.Authorization first = launch();
    tokenEndpointReturns(idToken(ehrKey, first, c -> {}));
    flow.complete(first.pending(), first.pending().state().getValue(), "code", null, null);
    // the EHR rotates its key: new kid, published at the same address
    RSAKey rotated = new RSAKeyGenerator(2048).keyID("ehr-2").generate();
    ehr.stubFor(
        get("/jwks")
            .willReturn(
                aResponse()
                    .withBody(
                        new JWKSet(List.of(ehrKey.toPublicJWK(), rotated.toPublicJWK()))
                            .toString())));
    LaunchFlow.Authorization second = launch();
    tokenEndpointReturns(idToken(rotated, second, c -> {}));
    LaunchContext context =
        flow.complete(second.pending(), second.pending().state().getValue(), "code", null, null);
    assertThat(context.patient()).isEqualTo("123");
    ehr.verify(2, getRequestedFor(urlEqualTo("/jwks")));
  }

  @Test
  void tokenEndpointFailuresAreRefusedWithASentence() {
    LaunchFlow.Authorization a = launch();
    ehr.stubFor(
        post("/token")
            .willReturn(
                aResponse()
                    .withStatus(400)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"error\":\"invalid_grant\"}")));
    assertThatThrownBy(
            () -> flow.complete(a.pending(), a.pending().state().getValue(), "code", null, null))
        .hasMessageContaining("invalid_grant");
    ehr.stubFor(post("/token").willReturn(aResponse().withStatus(500).withBody("oops")));
    assertThatThrownBy(
            () -> flow.complete(a.pending(), a.pending().state().getValue(), "code", null, null))
        .hasMessageContaining("HTTP 500");
    ehr.stubFor(post("/token").willReturn(aResponse().withFixedDelay(5_000).withBody("{}")));
    assertThatThrownBy(
            () -> flow.complete(a.pending(), a.pending().state().getValue(), "code", null, null))
        .hasMessageContaining("did not answer in time");
  }

  @Test
  void confidentialClientsAuthenticateAtTheTokenEndpoint() throws Exception {
    flow = flowWith(RegisteredIssuer.ClientAuth.CLIENT_SECRET_BASIC);
    LaunchFlow.Authorization a = launch();
    tokenEndpointReturns(idToken(ehrKey, a, c -> {}));
    flow.complete(a.pending(), a.pending().state().getValue(), "code", null, null);
    ehr.verify(
        postRequestedFor(urlEqualTo("/token")).withHeader("Authorization", containing("Basic ")));

    flow = flowWith(RegisteredIssuer.ClientAuth.PRIVATE_KEY_JWT);
    LaunchFlow.Authorization b = launch();
    tokenEndpointReturns(idToken(ehrKey, b, c -> {}));
    flow.complete(b.pending(), b.pending().state().getValue(), "code", null, null);
    String body = ehr.findAll(postRequestedFor(urlEqualTo("/token"))).get(1).getBodyAsString();
    assertThat(body)
        .contains(
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer");
    String assertion =
        java.net.URLDecoder.decode(body.replaceAll(".*client_assertion=([^&]+).*", "$1"), "UTF-8");
    SignedJWT jwt = SignedJWT.parse(assertion);
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
    assertThat(jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(clientKey.toPublicJWK())))
        .isTrue();
    assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("televisit-client");
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("televisit-client");
    assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(ehr.baseUrl() + "/token");
    assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();
    assertThat(
            Duration.between(Instant.now(), jwt.getJWTClaimsSet().getExpirationTime().toInstant()))
        .isLessThanOrEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void anAccessTokenAboutToExpireIsRefreshedAndARotatedRefreshTokenKept() throws Exception {
    LaunchFlow.Authorization a = launch();
    tokenEndpointReturns(idToken(ehrKey, a, c -> {}));
    LaunchContext launched =
        flow.complete(a.pending(), a.pending().state().getValue(), "code", null, null);
    assertThat(flow.fresh(launched)).as("an hour left: kept as it is").isSameAs(launched);

    LaunchContext expiring =
        launched.withTokens(
            launched.accessToken(),
            launched.refreshToken(),
            Instant.now().plusSeconds(30),
            launched.granted());
    ehr.stubFor(
        post("/token")
            .withRequestBody(containing("grant_type=refresh_token"))
            .atPriority(1)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
        {"access_token":"at-new","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-rotated",
         "scope":"user/Patient.rs"}""")));
    LaunchContext refreshed = flow.fresh(expiring);
    assertThat(refreshed.accessToken()).isEqualTo("at-new");
    assertThat(refreshed.refreshToken()).isEqualTo("rt-rotated");
    assertThat(refreshed.patient()).isEqualTo("123");
    assertThat(refreshed.accessTokenExpiresAt()).isAfter(Instant.now().plusSeconds(3000));
    ehr.verify(
        postRequestedFor(urlEqualTo("/token"))
            .withRequestBody(containing("grant_type=refresh_token"))
            .withRequestBody(containing("refresh_token=rt-456")));

    LaunchContext noRefresh =
        new LaunchContext(
            launched.issuer(),
            "at",
            null,
            Instant.now().plusSeconds(10),
            launched.granted(),
            null,
            null,
            List.of(),
            true,
            null,
            null,
            null,
            null);
    assertThatThrownBy(() -> flow.fresh(noRefresh)).hasMessageContaining("launch Televisit again");
  }

  @Test
  void aServerThatOnlySpeaksV1GetsV1Scopes() {
    assertThat(LaunchFlow.toV1("user/Patient.rs")).isEqualTo("user/Patient.read");
    assertThat(LaunchFlow.toV1("user/Encounter.cruds")).isEqualTo("user/Encounter.*");
    assertThat(LaunchFlow.toV1("user/Encounter.cu")).isEqualTo("user/Encounter.write");
    assertThat(LaunchFlow.toV1("openid")).isEqualTo("openid");
  }
}
