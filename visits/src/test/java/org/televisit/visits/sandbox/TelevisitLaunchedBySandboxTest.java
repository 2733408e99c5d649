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
 * side: discovery, PKCE, private_key_jwt, id_token; server side: launch, authorize, token) until the
 * console's context carries the patient, the encounter and the user. And the standalone launch.
 */
@TelevisitIntegrationTest
class TelevisitLaunchedBySandboxTest extends FhirTestSupport {

  @Test
  void theFirstPageIsTheLauncherAndAnEhrLaunchOpensTheConsoleWithItsContext() throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    IdType appointment = (IdType) fhir().create().resource(bookedVisit(patient, practitioner, Instant.now().plusSeconds(300)))
        .execute().getId().toUnqualifiedVersionless();
    Browser browser = new Browser(base());

    HttpResponse<String> home = browser.get("/");
    assertThat(Browser.location(home)).isEqualTo("/sandbox");
    HttpResponse<String> launcher = browser.get("/sandbox");
    assertThat(launcher.body()).contains("value=\"televisit\"").contains(practitioner.getValue());

    HttpResponse<String> launched = browser.postForm("/sandbox/launch", Map.of("practitioner", practitioner.getValue(),
        "appointment", appointment.getValue(), "app", "televisit", "banner", "true",
        "form_token", Browser.formToken(launcher.body())));
    String launchUrl = Browser.location(launched);
    assertThat(launchUrl).startsWith(base() + "/launch?");
    assertThat(org.televisit.support.SmartTestApp.params(launchUrl).get("iss")).containsExactly(base() + "/fhir");

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
    Encounter encounter = fhir().read().resource(Encounter.class).withId((String) context.get("encounter")).execute();
    assertThat(encounter.getClass_().getCode()).isEqualTo("VR");
    assertThat(encounter.getAppointmentFirstRep().getReference()).isEqualTo(appointment.getValue());
  }

  @Test
  void aStandaloneLaunchSignsInAtTheSandboxAndPicksAPatient() throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    Browser browser = new Browser(base());

    HttpResponse<String> signIn = browser.follow("/launch?iss=" + URLEncoder.encode(base() + "/fhir", StandardCharsets.UTF_8));
    assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
    assertThat(signIn.body()).contains("Sign in to the sandbox EHR for").contains("name=\"patient\"");
    HttpResponse<String> back = browser.postForm("/sandbox/sign-in", Map.of("practitioner", practitioner.getValue(),
        "patient", patient.getValue(), "form_token", Browser.formToken(signIn.body())));
    HttpResponse<String> console = browser.follow(Browser.location(back));
    assertThat(console.statusCode()).as(console.body()).isEqualTo(200);
    Map<String, Object> context = JSONObjectUtils.parse(browser.get("/api/console/context").body());
    assertThat(context.get("patient")).isEqualTo(patient.getIdPart());
    assertThat(context.get("fhirUser")).isEqualTo(base() + "/fhir/" + practitioner.getValue());
  }
}
