package org.televisit.visits.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.televisit.support.Browser;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * The embedded default end to end over HTTP: Televisit's sandbox EHR launches Televisit itself (app
 * side: discovery, PKCE, private_key_jwt, id_token; server side: launch, authorize, token) until
 * the console's context carries the patient, the encounter and the user. And the standalone launch.
 */
@TelevisitIntegrationTest
class TelevisitLaunchedBySandboxTest extends FhirTestSupport {

  @Test
  void theFirstPageIsTheLauncherAndAnEhrLaunchOpensTheConsoleWithItsContext() throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    IdType appointment =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, Instant.now().plusSeconds(300)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    Browser browser = new Browser(base());

    HttpResponse<String> home = browser.get("/");
    assertThat(Browser.location(home)).isEqualTo("/sandbox");
    HttpResponse<String> launcher = browser.get("/sandbox");
    assertThat(launcher.body()).contains("value=\"televisit\"").contains(practitioner.getValue());

    HttpResponse<String> launched =
        browser.postForm(
            "/sandbox/launch",
            Map.of(
                "practitioner",
                practitioner.getValue(),
                "appointment",
                appointment.getValue(),
                "app",
                "televisit",
                "banner",
                "true",
                "form_token",
                Browser.formToken(launcher.body())));
    String launchUrl = Browser.location(launched);
    assertThat(launchUrl).startsWith(base() + "/launch?");
    assertThat(org.televisit.support.SmartTestApp.params(launchUrl).get("iss"))
        .containsExactly(base() + "/fhir");

    HttpResponse<String> console = browser.follow(launchUrl);
    assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
    Map<String, Object> context = JSONObjectUtils.parse(browser.get("/api/console/context").body());
    assertThat(context.get("iss")).isEqualTo(base() + "/fhir");
    assertThat(context.get("patient")).isEqualTo(patient.getIdPart());
    assertThat((String) context.get("encounter")).isNotBlank();
    assertThat(context.get("fhirUser")).isEqualTo(base() + "/fhir/" + practitioner.getValue());
    assertThat(context.get("fhirContext").toString()).contains(appointment.getValue());
    assertThat(context.toString()).doesNotContain("access_token").doesNotContain("eyJ");

    // the EHR keeps a planned virtual Encounter for the visit, and the launch names it
    Encounter encounter =
        fhir().read().resource(Encounter.class).withId((String) context.get("encounter")).execute();
    assertThat(encounter.getClass_().getCode()).isEqualTo("VR");
    assertThat(encounter.getAppointmentFirstRep().getReference()).isEqualTo(appointment.getValue());
  }

  @org.springframework.beans.factory.annotation.Autowired
  org.televisit.smart.launch.IssuerRegistry issuers;

  /**
   * Televisit's app side with each way a client authenticates (public, client_secret_basic,
   * private_key_jwt): the sandbox issuer is pointed at another registration for the test, then
   * restored.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(
      org.televisit.smart.launch.RegisteredIssuer.ClientAuth.class)
  void televisitLaunchesWithEachClientType(
      org.televisit.smart.launch.RegisteredIssuer.ClientAuth auth) throws Exception {
    org.televisit.smart.launch.RegisteredIssuer original =
        issuers.find(base() + "/fhir").orElseThrow();
    String clientId = "televisit-" + auth.name().toLowerCase().replace('_', '-');
    org.televisit.smart.server.ClientType type =
        switch (auth) {
          case PUBLIC -> org.televisit.smart.server.ClientType.PUBLIC;
          case CLIENT_SECRET_BASIC -> org.televisit.smart.server.ClientType.CONFIDENTIAL_SYMMETRIC;
          case PRIVATE_KEY_JWT -> org.televisit.smart.server.ClientType.CONFIDENTIAL_ASYMMETRIC;
        };
    var registered =
        smartServer
            .clients()
            .register(
                new org.televisit.smart.server.ClientRegistry.Registration(
                    clientId,
                    "Televisit (" + auth + ")",
                    type,
                    null,
                    type == org.televisit.smart.server.ClientType.CONFIDENTIAL_ASYMMETRIC
                        ? com.nimbusds
                            .jose
                            .jwk
                            .JWK
                            .parse(original.privateJwk())
                            .toPublicJWK()
                            .toJSONString()
                            .transform(k -> "{\"keys\":[" + k + "]}")
                        : null,
                    java.util.List.of(java.net.URI.create(base() + "/callback")),
                    SandboxApps.REGISTERED_SCOPES,
                    java.net.URI.create(base() + "/launch")));
    issuers.register(
        new org.televisit.smart.launch.RegisteredIssuer(
            original.fhirBase(),
            clientId,
            auth,
            registered.secret().orElse(null),
            original.privateJwk(),
            original.scopes(),
            false));
    try {
      IdType patient = createPatient();
      IdType practitioner = createPractitioner();
      IdType appointment =
          (IdType)
              fhir()
                  .create()
                  .resource(bookedVisit(patient, practitioner, Instant.now().plusSeconds(300)))
                  .execute()
                  .getId()
                  .toUnqualifiedVersionless();
      Browser browser = new Browser(base());
      HttpResponse<String> launched =
          browser.postForm(
              "/sandbox/launch",
              Map.of(
                  "practitioner",
                  practitioner.getValue(),
                  "appointment",
                  appointment.getValue(),
                  "app",
                  clientId,
                  "form_token",
                  Browser.formToken(browser.get("/sandbox").body())));
      HttpResponse<String> console = browser.follow(Browser.location(launched));
      assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
      Map<String, Object> context =
          JSONObjectUtils.parse(browser.get("/api/console/context").body());
      assertThat(context.get("patient")).isEqualTo(patient.getIdPart());
      assertThat((String) context.get("encounter")).isNotBlank();
      assertThat(context.get("fhirUser")).isEqualTo(base() + "/fhir/" + practitioner.getValue());
      assertThat(context.get("needPatientBanner")).isEqualTo(false);
    } finally {
      issuers.register(original);
    }
  }

  @Test
  void aStandaloneLaunchSignsInAtTheSandboxAndPicksAPatient() throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    Browser browser = new Browser(base());

    HttpResponse<String> signIn =
        browser.follow(
            "/launch?iss=" + URLEncoder.encode(base() + "/fhir", StandardCharsets.UTF_8));
    assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
    assertThat(signIn.body())
        .contains("Sign in to the sandbox EHR for")
        .contains("name=\"patient\"");
    HttpResponse<String> back =
        browser.postForm(
            "/sandbox/sign-in",
            Map.of(
                "practitioner",
                practitioner.getValue(),
                "patient",
                patient.getValue(),
                "form_token",
                Browser.formToken(signIn.body())));
    HttpResponse<String> console = browser.follow(Browser.location(back));
    assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
    Map<String, Object> context = JSONObjectUtils.parse(browser.get("/api/console/context").body());
    assertThat(context.get("patient")).isEqualTo(patient.getIdPart());
    assertThat(context.get("fhirUser")).isEqualTo(base() + "/fhir/" + practitioner.getValue());
  }
}
