package org.televisit.visits.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.televisit.smart.server.ClientType;
import org.televisit.support.Browser;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.SmartTestApp;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * Televisit's SMART authorization server over HTTP, used by apps that are not Televisit (built only
 * from oauth2-oidc-sdk messages), one per client type: the EHR launch from the sandbox launcher and
 * the standalone launch through its sign-in, and one test per rule the server must enforce.
 */
@TelevisitIntegrationTest
class AuthorizationServerTest extends FhirTestSupport {

  @Autowired JdbcTemplate jdbc;

  Browser browser;
  IdType patient;
  IdType practitioner;
  IdType appointment;

  @BeforeEach
  void clinic() {
    browser = new Browser(base());
    patient = createPatient();
    practitioner = createPractitioner();
    appointment =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, Instant.now().plusSeconds(600)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
  }

  /** The sandbox EHR launches {@code app} for the test visit; returns the launch value it sent. */
  String launchFromSandbox(SmartTestApp app) throws Exception {
    String token = Browser.formToken(browser.get("/sandbox").body());
    HttpResponse<String> launched =
        browser.postForm(
            "/sandbox/launch",
            Map.of(
                "practitioner",
                practitioner.getValue(),
                "appointment",
                appointment.getValue(),
                "app",
                app.clientId,
                "banner",
                "true",
                "form_token",
                token));
    assertThat(launched.statusCode()).as(launched.body()).isEqualTo(302);
    Map<String, List<String>> params = SmartTestApp.params(Browser.location(launched));
    assertThat(params.get("iss")).containsExactly(base() + "/fhir");
    return params.get("launch").get(0);
  }

  String codeFor(SmartTestApp app, String scope, String launch) throws Exception {
    HttpResponse<String> authorized = browser.get(app.authorizeUrl(scope, launch).toString());
    assertThat(authorized.statusCode()).as(authorized.body()).isEqualTo(302);
    Map<String, List<String>> back = SmartTestApp.params(Browser.location(authorized));
    assertThat(back).as(Browser.location(authorized)).containsKey("code");
    assertThat(back.get("state")).containsExactly(app.state.getValue());
    return back.get("code").get(0);
  }

  static Map<String, Object> json(HTTPResponse response) throws Exception {
    return JSONObjectUtils.parse(response.getBody());
  }

  HttpResponse<String> fhirGet(String path, String accessToken) throws Exception {
    return http.send(
        java.net.http.HttpRequest.newBuilder(URI.create(base() + path))
            .header("Authorization", "Bearer " + accessToken)
            .header("Accept", "application/fhir+json")
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "{0} (EC key: {1})")
  @CsvSource({
    "PUBLIC,false",
    "CONFIDENTIAL_SYMMETRIC,false",
    "CONFIDENTIAL_ASYMMETRIC,false",
    "CONFIDENTIAL_ASYMMETRIC,true"
  })
  void anyAppIsLaunchedFromTheSandboxEhrWithItsContext(ClientType type, boolean ec)
      throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, type, ec);
    String code =
        codeFor(
            app,
            "launch openid fhirUser offline_access user/Patient.rs user/Encounter.rs",
            launchFromSandbox(app));

    HTTPResponse response = app.exchange(code);
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
    assertThat(response.getHeaderValue("Cache-Control")).isEqualTo("no-store");
    assertThat(response.getHeaderValue("Pragma")).isEqualTo("no-cache");
    Map<String, Object> token = json(response);
    assertThat(token.get("token_type")).isEqualTo("Bearer");
    assertThat(token.get("patient")).isEqualTo(patient.getIdPart());
    assertThat((String) token.get("encounter")).isNotBlank();
    assertThat(token.get("fhirContext").toString()).contains(appointment.getValue());
    assertThat(token.get("need_patient_banner")).isEqualTo(true);
    assertThat(token.get("smart_style_url")).isEqualTo(base() + "/smart-style.json");
    assertThat(token.get("scope").toString()).contains("user/Patient.rs").contains("launch");
    assertThat(((Number) token.get("expires_in")).longValue()).isBetween(1L, 3600L);
    assertThat(token).containsKey("refresh_token");

    SignedJWT idToken = SignedJWT.parse((String) token.get("id_token"));
    assertThat(idToken.getJWTClaimsSet().getStringClaim("fhirUser"))
        .isEqualTo(base() + "/fhir/" + practitioner.getValue());
    assertThat(idToken.getJWTClaimsSet().getAudience()).containsExactly(app.clientId);
    assertThat(idToken.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo(app.nonce.getValue());
    assertThat(idToken.getJWTClaimsSet().getIssuer()).isEqualTo(base() + "/fhir");

    HttpResponse<String> read =
        fhirGet("/fhir/" + patient.getValue(), (String) token.get("access_token"));
    assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
    HttpResponse<String> styles = browser.get("/smart-style.json");
    assertThat(styles.body()).contains("color_background");
  }

  @Test
  void aStandaloneLaunchAsksTheUserToSignInAndPickAPatient() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    HttpResponse<String> authorize =
        browser.get(
            app.authorizeUrl("launch/patient openid fhirUser patient/*.rs", null).toString());
    assertThat(Browser.location(authorize)).isEqualTo("/sandbox/sign-in");
    HttpResponse<String> page = browser.get("/sandbox/sign-in");
    assertThat(page.body()).contains("Test app " + app.clientId).contains("name=\"patient\"");
    HttpResponse<String> signedIn =
        browser.postForm(
            "/sandbox/sign-in",
            Map.of(
                "practitioner",
                practitioner.getValue(),
                "patient",
                patient.getValue(),
                "form_token",
                Browser.formToken(page.body())));
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    String code = SmartTestApp.params(Browser.location(signedIn)).get("code").get(0);
    Map<String, Object> token = json(app.exchange(code));
    assertThat(token.get("patient")).isEqualTo(patient.getIdPart());
    assertThat(token.get("scope").toString()).contains("patient/*.rs");
  }

  @Test
  void authorizeAcceptsPostAsWell() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    URI get = app.authorizeUrl("launch openid user/Patient.rs", launchFromSandbox(app));
    Map<String, String> form = new java.util.HashMap<>();
    SmartTestApp.params(get.toString()).forEach((k, v) -> form.put(k, v.get(0)));
    HttpResponse<String> posted = browser.postForm("/oauth/authorize", form);
    assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
    String code = SmartTestApp.params(Browser.location(posted)).get("code").get(0);
    assertThat(app.exchange(code).getStatusCode()).isEqualTo(200);
  }

  @Test
  void anAppMayPublishItsKeysAtAJwksUrl() throws Exception {
    var key =
        new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048)
            .keyID("remote-1")
            .algorithm(com.nimbusds.jose.JWSAlgorithm.RS384)
            .generate();
    var ehr = org.televisit.support.SimulatedEhr.server();
    ehr.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get("/backend-app/jwks.json")
            .willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.okJson(
                    new com.nimbusds.jose.jwk.JWKSet(key.toPublicJWK()).toString(true))));
    String id = "backend-remote-" + java.util.UUID.randomUUID().toString().substring(0, 6);
    smartServer
        .clients()
        .register(
            new org.televisit.smart.server.ClientRegistry.Registration(
                id,
                "Remote keys",
                ClientType.CONFIDENTIAL_ASYMMETRIC,
                URI.create(ehr.baseUrl() + "/backend-app/jwks.json"),
                null,
                List.of(URI.create("https://remote.example.org/cb")),
                "system/Appointment.rs",
                null));
    var claims =
        new com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet(
            new ClientID(id),
            new com.nimbusds.oauth2.sdk.id.Audience(smartServer.urls().token())
                .toSingleAudienceList(),
            new Date(System.currentTimeMillis() + 120_000),
            null,
            new Date(),
            new com.nimbusds.oauth2.sdk.id.JWTID());
    var assertion =
        new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(
            claims, com.nimbusds.jose.JWSAlgorithm.RS384, key.toRSAPrivateKey(), "remote-1", null);
    HTTPResponse response =
        new com.nimbusds.oauth2.sdk.TokenRequest(
                smartServer.urls().token(),
                assertion,
                new ClientCredentialsGrant(),
                Scope.parse("system/Appointment.rs"))
            .toHTTPRequest()
            .send();
    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
  }

  @Test
  void signInWithoutTheFormTokenIsRefused() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    browser.get(app.authorizeUrl("launch/patient openid patient/*.rs", null).toString());
    HttpResponse<String> forged =
        browser.postForm(
            "/sandbox/sign-in",
            Map.of("practitioner", practitioner.getValue(), "patient", patient.getValue()));
    assertThat(forged.statusCode()).isEqualTo(403);
  }

  // --- authorize: one refusal per rule
  // ------------------------------------------------------------

  @Test
  void anUnregisteredRedirectUriIsNeverRedirectedTo() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    String url =
        app.authorizeUrl("openid user/Patient.rs", null)
            .toString()
            .replace(
                java.net.URLEncoder.encode(
                    app.redirectUri.toString(), java.nio.charset.StandardCharsets.UTF_8),
                java.net.URLEncoder.encode(
                    "https://evil.example.org/callback", java.nio.charset.StandardCharsets.UTF_8));
    HttpResponse<String> refused = browser.get(url);
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.headers().firstValue("Location")).isEmpty();
    assertThat(refused.body()).contains("did not register");
  }

  @Test
  void anUnknownAppIsRefusedWithAPage() throws Exception {
    HttpResponse<String> refused =
        browser.get(
            "/oauth/authorize?response_type=code&client_id=nobody&redirect_uri="
                + java.net.URLEncoder.encode(
                    "https://x.example.org/cb", java.nio.charset.StandardCharsets.UTF_8));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("not registered");
  }

  @Test
  void plainPkceMissingPkceWrongAudAndUnknownLaunchAreRefusedToTheApp() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    String good =
        app.authorizeUrl("launch openid user/Patient.rs", launchFromSandbox(app)).toString();
    String challenge = SmartTestApp.params(good).get("code_challenge").get(0);

    assertError(
        good.replace("code_challenge_method=S256", "code_challenge_method=plain"),
        "invalid_request",
        "plain");
    assertError(
        good.replace("code_challenge=" + challenge, "x=y")
            .replace("&code_challenge_method=S256", ""),
        "invalid_request",
        "PKCE");
    assertError(
        good.replaceAll(
            "aud=[^&]+",
            "aud="
                + java.net.URLEncoder.encode(
                    "https://other.example.org/fhir", java.nio.charset.StandardCharsets.UTF_8)),
        "invalid_request",
        "aud");
    assertError(good.replaceAll("launch=[^&]+", "launch=made-up"), "invalid_request", "launch");
    assertError(
        good.replace("response_type=code", "response_type=token"),
        "unsupported_response_type",
        "code");
    assertError(
        good.replaceAll("scope=[^&]+", "scope=user%2FPatient.xyz"), "invalid_scope", "Patient.xyz");
    assertError(
        good.replaceAll("scope=[^&]+", "scope=system%2FPatient.rs"), "invalid_scope", "system");
  }

  void assertError(String url, String error, String mentions) throws Exception {
    HttpResponse<String> response = browser.get(url);
    assertThat(response.statusCode()).as(url).isEqualTo(302);
    Map<String, List<String>> back = SmartTestApp.params(Browser.location(response));
    assertThat(back.get("error")).as(url).containsExactly(error);
    assertThat(back.get("error_description").get(0)).contains(mentions);
  }

  @Test
  void scopesBeyondTheRegistrationAreNotGranted() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    var registered = smartServer.clients().find(app.clientId).orElseThrow();
    smartServer
        .clients()
        .register(
            new org.televisit.smart.server.ClientRegistry.Registration(
                app.clientId,
                registered.name(),
                registered.type(),
                null,
                null,
                registered.redirectUris(),
                "launch openid user/Patient.rs",
                registered.launchUrl()));
    String code =
        codeFor(app, "launch openid user/Patient.rs user/Encounter.cruds", launchFromSandbox(app));
    Map<String, Object> token = json(app.exchange(code));
    assertThat(token.get("scope").toString())
        .contains("user/Patient.rs")
        .doesNotContain("Encounter");
  }

  // --- token: one refusal per rule
  // ----------------------------------------------------------------

  @Test
  void aCodeIsSingleUseAndItsReuseRevokesWhatItGave() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    String code = codeFor(app, "launch openid user/Patient.rs", launchFromSandbox(app));
    Map<String, Object> first = json(app.exchange(code));
    HTTPResponse second = app.exchange(code);
    assertThat(second.getStatusCode()).isEqualTo(400);
    assertThat(json(second).get("error")).isEqualTo("invalid_grant");
    assertThat(
            fhirGet("/fhir/" + patient.getValue(), (String) first.get("access_token")).statusCode())
        .isEqualTo(401);
  }

  @Test
  void theVerifierMustMatch() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    String code = codeFor(app, "launch openid user/Patient.rs", launchFromSandbox(app));
    HTTPResponse wrong =
        app.exchange(
            new AuthorizationCodeGrant(
                new AuthorizationCode(code), app.redirectUri, new CodeVerifier()));
    assertThat(json(wrong).get("error")).isEqualTo("invalid_grant");

    String code2 = codeFor(app, "launch openid user/Patient.rs", launchFromSandbox(app));
    HTTPResponse missing =
        app.exchange(new AuthorizationCodeGrant(new AuthorizationCode(code2), app.redirectUri));
    assertThat(json(missing).get("error")).isEqualTo("invalid_grant");
    assertThat(json(missing).get("error_description").toString()).contains("code_verifier");
  }

  @Test
  void theRedirectUriAndTheClientMustMatchTheCode() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    SmartTestApp other = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    String code = codeFor(app, "launch openid user/Patient.rs", launchFromSandbox(app));
    HTTPResponse wrongRedirect =
        app.exchange(
            new AuthorizationCodeGrant(
                new AuthorizationCode(code),
                URI.create("https://elsewhere.example.org/cb"),
                app.verifier));
    assertThat(json(wrongRedirect).get("error")).isEqualTo("invalid_grant");

    String code2 = codeFor(app, "launch openid user/Patient.rs", launchFromSandbox(app));
    HTTPResponse stolen =
        other.exchange(
            new AuthorizationCodeGrant(
                new AuthorizationCode(code2), app.redirectUri, app.verifier));
    assertThat(json(stolen).get("error")).isEqualTo("invalid_grant");
  }

  @Test
  void anExpiredCodeIsRefused() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    String code = codeFor(app, "launch openid user/Patient.rs", launchFromSandbox(app));
    jdbc.update(
        "UPDATE televisit.smart_code SET expires_at = ? WHERE client_id = ?",
        java.sql.Timestamp.from(Instant.now().minusSeconds(1)),
        app.clientId);
    assertThat(json(app.exchange(code)).get("error")).isEqualTo("invalid_grant");
  }

  @Test
  void aWrongClientSecretIsInvalidClient() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_SYMMETRIC, false);
    String code = codeFor(app, "launch openid user/Patient.rs", launchFromSandbox(app));
    HTTPResponse response =
        new com.nimbusds.oauth2.sdk.TokenRequest(
                smartServer.urls().token(),
                new ClientSecretBasic(new ClientID(app.clientId), new Secret("not-the-secret")),
                new AuthorizationCodeGrant(
                    new AuthorizationCode(code), app.redirectUri, app.verifier))
            .toHTTPRequest()
            .send();
    assertThat(response.getStatusCode()).isEqualTo(401);
    assertThat(json(response).get("error")).isEqualTo("invalid_client");
    // a confidential app cannot pose as a public one
    HTTPResponse unauthenticated =
        new com.nimbusds.oauth2.sdk.TokenRequest(
                smartServer.urls().token(),
                new ClientID(app.clientId),
                new AuthorizationCodeGrant(
                    new AuthorizationCode(code), app.redirectUri, app.verifier),
                null)
            .toHTTPRequest()
            .send();
    assertThat(json(unauthenticated).get("error")).isEqualTo("invalid_client");
  }

  @Test
  void clientAssertionsAreCheckedForKeyReplayAndLifetime() throws Exception {
    SmartTestApp app =
        SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_ASYMMETRIC, false);
    SmartTestApp stranger =
        SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_ASYMMETRIC, false);
    ClientCredentialsGrant backend = new ClientCredentialsGrant();
    Scope scope = Scope.parse("system/Appointment.rs");

    var assertion = app.assertion(new Date(System.currentTimeMillis() + 120_000));
    HTTPResponse first =
        new com.nimbusds.oauth2.sdk.TokenRequest(
                smartServer.urls().token(), assertion, backend, scope)
            .toHTTPRequest()
            .send();
    assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
    HTTPResponse replay =
        new com.nimbusds.oauth2.sdk.TokenRequest(
                smartServer.urls().token(), assertion, backend, scope)
            .toHTTPRequest()
            .send();
    assertThat(replay.getStatusCode()).isEqualTo(401);
    assertThat(json(replay).get("error_description").toString()).contains("jti");

    // signed with a key the app did not register (another app's key, under this app's id)
    var forged =
        new com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT(
            new com.nimbusds.oauth2.sdk.auth.JWTAuthenticationClaimsSet(
                new ClientID(app.clientId),
                new com.nimbusds.oauth2.sdk.id.Audience(smartServer.urls().token())
                    .toSingleAudienceList(),
                new Date(System.currentTimeMillis() + 120_000),
                null,
                new Date(),
                new com.nimbusds.oauth2.sdk.id.JWTID()),
            com.nimbusds.jose.JWSAlgorithm.RS384,
            ((com.nimbusds.jose.jwk.RSAKey) stranger.key).toRSAPrivateKey(),
            app.key.getKeyID(),
            null);
    HTTPResponse bad =
        new com.nimbusds.oauth2.sdk.TokenRequest(smartServer.urls().token(), forged, backend, scope)
            .toHTTPRequest()
            .send();
    assertThat(json(bad).get("error")).isEqualTo("invalid_client");

    HTTPResponse tooLong =
        new com.nimbusds.oauth2.sdk.TokenRequest(
                smartServer.urls().token(),
                app.assertion(new Date(System.currentTimeMillis() + 3_600_000)),
                backend,
                scope)
            .toHTTPRequest()
            .send();
    assertThat(json(tooLong).get("error")).isEqualTo("invalid_client");
    assertThat(json(tooLong).get("error_description").toString()).contains("five minutes");
  }

  @Test
  void backendServicesGetShortSystemTokensAndNothingElse() throws Exception {
    SmartTestApp scheduler =
        SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_ASYMMETRIC, true);
    HTTPResponse ok =
        scheduler.exchange(
            new ClientCredentialsGrant(), Scope.parse("system/Appointment.cruds system/Slot.rs"));
    assertThat(ok.getStatusCode()).as(ok.getBody()).isEqualTo(200);
    Map<String, Object> token = json(ok);
    assertThat(((Number) token.get("expires_in")).longValue()).isLessThanOrEqualTo(300);
    assertThat(token).doesNotContainKey("refresh_token");
    HttpResponse<String> search =
        fhirGet(
            "/fhir/Appointment?patient=" + patient.getValue(), (String) token.get("access_token"));
    assertThat(search.statusCode()).isEqualTo(200);
    assertThat(
            fhirGet("/fhir/" + patient.getValue(), (String) token.get("access_token")).statusCode())
        .isEqualTo(403);

    assertThat(
            json(scheduler.exchange(
                    new ClientCredentialsGrant(), Scope.parse("user/Appointment.rs")))
                .get("error"))
        .isEqualTo("invalid_scope");
    SmartTestApp symmetric =
        SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_SYMMETRIC, false);
    assertThat(
            json(symmetric.exchange(
                    new ClientCredentialsGrant(), Scope.parse("system/Appointment.rs")))
                .get("error"))
        .isEqualTo("unauthorized_client");
  }

  @Test
  void unsupportedGrantTypesAreNamed() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_SYMMETRIC, false);
    HTTPResponse response =
        app.exchange(
            new com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant(
                "u", new Secret("p")));
    assertThat(json(response).get("error")).isEqualTo("unsupported_grant_type");
  }

  // --- refresh, introspection, revocation
  // ---------------------------------------------------------

  @Test
  void refreshTokensRotateAndStayWithTheirApp() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_SYMMETRIC, false);
    SmartTestApp other =
        SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_SYMMETRIC, false);
    Map<String, Object> first =
        json(
            app.exchange(
                codeFor(
                    app, "launch openid offline_access user/Patient.rs", launchFromSandbox(app))));
    RefreshToken refresh = new RefreshToken((String) first.get("refresh_token"));

    assertThat(json(other.exchange(new RefreshTokenGrant(refresh))).get("error"))
        .isEqualTo("invalid_grant");
    HTTPResponse rotated = app.exchange(new RefreshTokenGrant(refresh));
    assertThat(rotated.getStatusCode()).as(rotated.getBody()).isEqualTo(200);
    Map<String, Object> second = json(rotated);
    assertThat(second.get("refresh_token")).isNotEqualTo(refresh.getValue());
    assertThat(second.get("patient")).isEqualTo(patient.getIdPart());
    assertThat(json(app.exchange(new RefreshTokenGrant(refresh))).get("error"))
        .isEqualTo("invalid_grant");

    HTTPResponse widened =
        app.exchange(
            new RefreshTokenGrant(new RefreshToken((String) second.get("refresh_token"))),
            Scope.parse("user/Patient.rs user/Encounter.cruds"));
    assertThat(json(widened).get("error")).isEqualTo("invalid_scope");
  }

  @Test
  void introspectionTellsActiveFromInactive() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    SmartTestApp resourceServer =
        SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_SYMMETRIC, false);
    Map<String, Object> token =
        json(
            app.exchange(
                codeFor(app, "launch openid fhirUser user/Patient.rs", launchFromSandbox(app))));
    String access = (String) token.get("access_token");

    Map<String, Object> active =
        JSONObjectUtils.parse(
            new TokenIntrospectionRequest(
                    smartServer.urls().introspect(),
                    resourceServer.authentication(),
                    new BearerAccessToken(access))
                .toHTTPRequest()
                .send()
                .getBody());
    assertThat(active.get("active")).isEqualTo(true);
    assertThat(active.get("client_id")).isEqualTo(app.clientId);
    assertThat(active.get("patient")).isEqualTo(patient.getIdPart());
    assertThat(active.get("fhirUser")).isEqualTo(base() + "/fhir/" + practitioner.getValue());
    assertThat(active.get("scope").toString()).contains("user/Patient.rs");

    Map<String, Object> garbage =
        JSONObjectUtils.parse(
            new TokenIntrospectionRequest(
                    smartServer.urls().introspect(),
                    resourceServer.authentication(),
                    new BearerAccessToken("not-a-token"))
                .toHTTPRequest()
                .send()
                .getBody());
    assertThat(garbage).containsExactly(Map.entry("active", false));

    HTTPResponse anonymous =
        new TokenIntrospectionRequest(
                smartServer.urls().introspect(),
                new BearerAccessToken("x"),
                new BearerAccessToken(access))
            .toHTTPRequest()
            .send();
    assertThat(anonymous.getStatusCode()).isEqualTo(401);
  }

  @Test
  void revokingEndsTheGrantOnFhirAndForIntrospection() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    SmartTestApp resourceServer =
        SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_SYMMETRIC, false);
    Map<String, Object> token =
        json(
            app.exchange(
                codeFor(
                    app, "launch openid offline_access user/Patient.rs", launchFromSandbox(app))));
    String access = (String) token.get("access_token");
    assertThat(fhirGet("/fhir/" + patient.getValue(), access).statusCode()).isEqualTo(200);

    HTTPResponse revoked =
        new TokenRevocationRequest(
                smartServer.urls().revoke(),
                new ClientID(app.clientId),
                new RefreshToken((String) token.get("refresh_token")))
            .toHTTPRequest()
            .send();
    assertThat(revoked.getStatusCode()).isEqualTo(200);
    HttpResponse<String> after = fhirGet("/fhir/" + patient.getValue(), access);
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(after.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
    assertThat(
            json(app.exchange(
                    new RefreshTokenGrant(new RefreshToken((String) token.get("refresh_token")))))
                .get("error"))
        .isEqualTo("invalid_grant");
    Map<String, Object> inactive =
        JSONObjectUtils.parse(
            new TokenIntrospectionRequest(
                    smartServer.urls().introspect(),
                    resourceServer.authentication(),
                    new BearerAccessToken(access))
                .toHTTPRequest()
                .send()
                .getBody());
    assertThat(inactive.get("active")).isEqualTo(false);
  }

  @Test
  void anotherAppCannotRevokeYourToken() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    SmartTestApp other = SmartTestApp.register(smartServer, ClientType.PUBLIC, false);
    String access =
        (String)
            json(app.exchange(
                    codeFor(app, "launch openid user/Patient.rs", launchFromSandbox(app))))
                .get("access_token");
    HTTPResponse answer =
        new TokenRevocationRequest(
                smartServer.urls().revoke(),
                new ClientID(other.clientId),
                new BearerAccessToken(access))
            .toHTTPRequest()
            .send();
    assertThat(answer.getStatusCode()).isEqualTo(200); // RFC 7009: the answer reveals nothing
    assertThat(fhirGet("/fhir/" + patient.getValue(), access).statusCode()).isEqualTo(200);
  }

  @Test
  void anExpiredAccessTokenIsRefused() throws Exception {
    var grant =
        smartServer
            .grants()
            .create(
                "televisit-it-tests",
                "user/Patient.rs",
                org.televisit.smart.server.GrantContext.none(),
                Duration.ofMinutes(1),
                null);
    String expired =
        smartServer
            .accessTokens()
            .issue(
                grant, "user/Patient.rs", smartServer.urls().fhirBase(), Duration.ofSeconds(-120));
    HttpResponse<String> response = fhirGet("/fhir/" + patient.getValue(), expired);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("invalid_token");
  }

  @Test
  void securityDecisionsAreAudited() throws Exception {
    SmartTestApp app = SmartTestApp.register(smartServer, ClientType.CONFIDENTIAL_SYMMETRIC, false);
    app.exchange(new RefreshTokenGrant(new RefreshToken("never-issued")));
    org.hl7.fhir.r4.model.Bundle refusals =
        fhir()
            .search()
            .forResource(org.hl7.fhir.r4.model.AuditEvent.class)
            .where(
                org.hl7.fhir.r4.model.AuditEvent.SUBTYPE
                    .exactly()
                    .systemAndCode(org.televisit.visits.audit.AuditRecord.SUBTYPES, "refresh"))
            .and(org.hl7.fhir.r4.model.AuditEvent.OUTCOME.exactly().code("4"))
            .count(200)
            .returnBundle(org.hl7.fhir.r4.model.Bundle.class)
            .execute();
    assertThat(refusals.getEntry())
        .map(e -> (org.hl7.fhir.r4.model.AuditEvent) e.getResource())
        .anySatisfy(
            e -> {
              assertThat(e.getAgentFirstRep().getWho().getIdentifier().getValue())
                  .isEqualTo(app.clientId);
              assertThat(e.getOutcomeDesc())
                  .contains("invalid_grant")
                  .doesNotContain("never-issued");
            });
  }
}
