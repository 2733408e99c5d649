package org.televisit.visits.launch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.televisit.smart.server.GrantContext;
import org.televisit.support.Browser;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.SimulatedEhr;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * The launch contexts real EHRs send, each until a visit is open in the console and can start: only
 * a patient; a patient and an Encounter (with or without an appointment); fhirUser relative,
 * absolute, or a PractitionerRole. Against the sandbox EHR (Televisit's own authorization server)
 * and against a simulated other EHR.
 */
@TelevisitIntegrationTest
class LaunchContextsTest extends FhirTestSupport {

  @Autowired ca.uhn.fhir.jpa.api.dao.DaoRegistry daos;

  // --- the sandbox EHR ---

  @Test
  void aLaunchWithOnlyAPatientOpensAnOnDemandVisitOnce() throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    Browser clinician =
        launchAtTheSandbox(
            new GrantContext(
                practitioner.getValue(), patient.getIdPart(), null, List.of(), true, null),
            practitioner);

    Map<String, Object> visit = JSONObjectUtils.parse(clinician.get("/api/console/visit").body());
    assertThat(visit).containsEntry("appointmentStatus", "booked").containsEntry("ended", false);
    HttpResponse<String> started = postJson(clinician, "/api/console/visit/start");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    // one visit, booked now with both of them, and no second one for the next request
    List<Appointment> theirs = appointmentsOf(patient);
    assertThat(theirs).hasSize(1);
    Appointment onDemand = theirs.get(0);
    assertThat(onDemand.getStart()).isBefore(Date.from(Instant.now().plusSeconds(5)));
    assertThat(onDemand.getParticipant())
        .extracting(p -> p.getActor().getReference())
        .contains(patient.getValue(), practitioner.getValue());
    assertThat(postJson(clinician, "/api/console/visit/patient-link").body()).contains("/join/");
    assertThat(appointmentsOf(patient)).hasSize(1);
    postJson(clinician, "/api/console/visit/end");
  }

  @Test
  void aPatientAndAnEncounterWithoutAppointmentOpenAVisitThatRecordsOnThatEncounter()
      throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    Encounter planned = new Encounter();
    planned.setStatus(Encounter.EncounterStatus.PLANNED);
    planned.setClass_(
        new org.hl7.fhir.r4.model.Coding(
            "http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"));
    planned.setSubject(new Reference(patient.getValue()));
    String encounter = fhir().create().resource(planned).execute().getId().getIdPart();
    Browser clinician =
        launchAtTheSandbox(
            new GrantContext(
                practitioner.getValue(), patient.getIdPart(), encounter, List.of(), true, null),
            practitioner);

    HttpResponse<String> started = postJson(clinician, "/api/console/visit/start");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    assertThat(JSONObjectUtils.parse(started.body()).get("encounter"))
        .isEqualTo("Encounter/" + encounter);
    Encounter recorded = fhir().read().resource(Encounter.class).withId(encounter).execute();
    assertThat(recorded.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
    assertThat(recorded.getAppointmentFirstRep().getReference())
        .isEqualTo("Appointment/" + appointmentsOf(patient).get(0).getIdElement().getIdPart());
    postJson(clinician, "/api/console/visit/end");
  }

  @Test
  void anEncounterThatNamesItsAppointmentOpensThatVisit() throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    IdType appointment =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, Instant.now().plusSeconds(86_400 * 3)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    Encounter planned = new Encounter();
    planned.setStatus(Encounter.EncounterStatus.PLANNED);
    planned.setClass_(
        new org.hl7.fhir.r4.model.Coding(
            "http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"));
    planned.setSubject(new Reference(patient.getValue()));
    planned.addAppointment(new Reference(appointment.getValue()));
    String encounter = fhir().create().resource(planned).execute().getId().getIdPart();
    // the Encounter in fhirContext only (the launch's encounter parameter left out)
    Browser clinician =
        launchAtTheSandbox(
            new GrantContext(
                practitioner.getValue(),
                patient.getIdPart(),
                null,
                List.of("Encounter/" + encounter),
                true,
                null),
            practitioner);
    assertThat(JSONObjectUtils.parse(clinician.get("/api/console/visit").body()))
        .containsEntry("appointmentStatus", "booked");
    assertThat(appointmentsOf(patient))
        .extracting(a -> a.getIdElement().getIdPart())
        .containsExactly(appointment.getIdPart());
  }

  @Test
  void aClinicianWhoIsNotOnTheVisitIsToldWhenTheConsoleOpens() throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    IdType someoneElse = createPractitioner();
    IdType appointment =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, Instant.now().plusSeconds(600)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    Browser clinician =
        launchAtTheSandbox(
            new GrantContext(
                someoneElse.getValue(),
                patient.getIdPart(),
                null,
                List.of(appointment.getValue()),
                true,
                null),
            someoneElse);
    HttpResponse<String> visit = clinician.get("/api/console/visit");
    assertThat(visit.statusCode()).isEqualTo(403);
    assertThat(visit.body()).contains("not a participant");
  }

  @Test
  void thePresenceStreamRefusesInAFormAnEventSourceReads() throws Exception {
    HttpResponse<String> refused =
        new Browser(base())
            .send(
                HttpRequest.newBuilder(URI.create(base() + "/api/console/visit/presence"))
                    .header("Accept", "text/event-stream"));
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(refused.body()).contains("event:problem").contains("launch Televisit");
  }

  // --- another EHR ---

  @Test
  void anotherEhrWithARelativeFhirUserAndOnlyAPatientOpensAnOnDemandVisit() throws Exception {
    Launched l = launchFromAnotherEhr("Practitioner/d-%s", false, false);
    HttpResponse<String> started = postJson(l.clinician, "/api/console/visit/start");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    Practitioner mirrored = mirrored(Practitioner.class, "Practitioner", "d-" + l.suffix);
    assertThat(mirrored.getNameFirstRep().getNameAsSingleString()).isEqualTo("Dr Dana Faraway");
    postJson(l.clinician, "/api/console/visit/end");
  }

  @Test
  void anotherEhrsEncounterNamesTheAppointmentAndAPractitionerRoleStandsForItsPractitioner()
      throws Exception {
    Launched l = launchFromAnotherEhr("%2$s/PractitionerRole/r-%1$s", true, true);
    HttpResponse<String> visit = l.clinician.get("/api/console/visit");
    assertThat(visit.statusCode()).as(visit.body()).isEqualTo(200);
    Bundle found =
        fhir()
            .search()
            .forResource(Appointment.class)
            .where(
                Appointment.IDENTIFIER
                    .exactly()
                    .systemAndIdentifier(
                        SimulatedEhr.launchContextsFhirBase() + "/Appointment", "a-" + l.suffix))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(found.getEntry())
        .as("the EHR's appointment, found through its Encounter")
        .hasSize(1);
    Practitioner mirrored = mirrored(Practitioner.class, "Practitioner", "d-" + l.suffix);
    assertThat(((Appointment) found.getEntryFirstRep().getResource()).getParticipant())
        .extracting(p -> p.getActor().getReference())
        .contains("Practitioner/" + mirrored.getIdElement().getIdPart());
  }

  @Test
  void anIdTokenWithoutKidATenantInTheIssuerPathAndNoRefreshTokenStillOpenAVisit()
      throws Exception {
    String tenant = SimulatedEhr.tenantFhirBase();
    assertThat(tenant).contains("/r4/tenant-7");
    Launched l =
        launchFromAnotherEhr(
            tenant,
            "%2$s/Practitioner/d-%1$s",
            false,
            false,
            false,
            "launch openid fhirUser user/Patient.rs user/Encounter.cruds");
    HttpResponse<String> started = postJson(l.clinician, "/api/console/visit/start");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    // the EHR's records were read under the tenant's base
    SimulatedEhr.server()
        .verify(
            com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                    URI.create(tenant).getPath() + "/Patient/p-" + l.suffix)));
    postJson(l.clinician, "/api/console/visit/end");
  }

  @Test
  void fewerScopesThanAskedOpenTheVisitAndTheConsoleSaysWhatIsOff() throws Exception {
    // the EHR grants no Encounter access (Televisit asked for user/Encounter.cruds)
    Launched l =
        launchFromAnotherEhr(
            SimulatedEhr.launchContextsFhirBase(),
            "Practitioner/d-%s",
            false,
            false,
            true,
            "launch openid fhirUser user/Patient.rs");
    Map<String, Object> context =
        JSONObjectUtils.parse(l.clinician.get("/api/console/context").body());
    assertThat(context.get("featuresOff").toString()).contains("Encounter").contains("refresh");
    assertThat(postJson(l.clinician, "/api/console/visit/start").statusCode()).isEqualTo(200);
    postJson(l.clinician, "/api/console/visit/end");
  }

  record Launched(Browser clinician, String suffix) {}

  static final RSAKey EHR_KEY;

  static {
    try {
      EHR_KEY = new RSAKeyGenerator(2048).keyID("launch-contexts").generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * A launch from the simulated EHR: its patient, a practitioner (and a role for them), optionally
   * an Encounter that names an Appointment; fhirUser as the pattern says (%1$s the suffix, %2$s the
   * base).
   */
  private Launched launchFromAnotherEhr(
      String fhirUserPattern, boolean encounter, boolean appointment) throws Exception {
    return launchFromAnotherEhr(
        SimulatedEhr.launchContextsFhirBase(),
        fhirUserPattern,
        encounter,
        appointment,
        true,
        "launch openid fhirUser user/Patient.rs user/Encounter.cruds");
  }

  private Launched launchFromAnotherEhr(
      String iss,
      String fhirUserPattern,
      boolean encounter,
      boolean appointment,
      boolean keyId,
      String grantedScope)
      throws Exception {
    WireMockServer ehr = SimulatedEhr.server();
    String path = URI.create(iss).getPath();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    // one key and one set of endpoints for the class: Televisit caches the EHR's discovery and keys
    RSAKey key = EHR_KEY;
    String auth = "/lc/auth";
    ehr.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(
                path + "/.well-known/smart-configuration")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
        {"issuer":"%1$s","authorization_endpoint":"%2$s%3$s/authorize","token_endpoint":"%2$s%3$s/token",
         "jwks_uri":"%2$s%3$s/jwks","capabilities":["launch-ehr","permission-v2","openid-connect"],
         "code_challenge_methods_supported":["S256"]}"""
                            .formatted(iss, ehr.baseUrl(), auth))));
    ehr.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(auth + "/jwks")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(new JWKSet(key.toPublicJWK()).toString())));
    Patient patient = new Patient();
    patient.setId("p-" + suffix);
    patient.addName().setFamily("Chart").addGiven("Charlie");
    serve(ehr, path + "/Patient/p-" + suffix, patient);
    Practitioner doctor = new Practitioner();
    doctor.setId("d-" + suffix);
    doctor.addName().setFamily("Faraway").addGiven("Dana").addPrefix("Dr");
    serve(ehr, path + "/Practitioner/d-" + suffix, doctor);
    PractitionerRole role = new PractitionerRole();
    role.setId("r-" + suffix);
    role.setPractitioner(new Reference("Practitioner/d-" + suffix));
    serve(ehr, path + "/PractitionerRole/r-" + suffix, role);
    if (appointment) {
      Appointment a = new Appointment();
      a.setId("a-" + suffix);
      a.setStatus(Appointment.AppointmentStatus.BOOKED);
      a.setStart(Date.from(Instant.now().plusSeconds(86_400 * 5)));
      a.setEnd(Date.from(Instant.now().plusSeconds(86_400 * 5 + 1200)));
      a.addParticipant()
          .setActor(new Reference("Patient/p-" + suffix))
          .setStatus(Appointment.ParticipationStatus.ACCEPTED);
      serve(ehr, path + "/Appointment/a-" + suffix, a);
    }
    Encounter e = new Encounter();
    e.setId("e-" + suffix);
    e.setStatus(Encounter.EncounterStatus.PLANNED);
    e.setClass_(
        new org.hl7.fhir.r4.model.Coding(
            "http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
    e.setSubject(new Reference("Patient/p-" + suffix));
    if (appointment) {
      e.addAppointment(new Reference("Appointment/a-" + suffix));
    }
    serve(ehr, path + "/Encounter/e-" + suffix, e);

    Browser clinician = new Browser(base());
    HttpResponse<String> launch = clinician.get("/launch?iss=" + q(iss) + "&launch=lc-" + suffix);
    assertThat(launch.statusCode()).as(launch.body()).isEqualTo(302);
    AuthorizationRequest sent =
        AuthorizationRequest.parse(
            URI.create(launch.headers().firstValue("Location").orElseThrow()));
    JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT);
    SignedJWT idToken =
        new SignedJWT(
            (keyId ? header.keyID(key.getKeyID()) : header).build(),
            new JWTClaimsSet.Builder()
                .issuer(iss)
                .audience(SimulatedEhr.CLIENT_ID)
                .subject("d-" + suffix)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .claim("nonce", sent.getCustomParameter("nonce").get(0))
                .claim("fhirUser", fhirUserPattern.formatted(suffix, iss))
                .build());
    idToken.sign(new RSASSASigner(key));
    ehr.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.post(auth + "/token")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        """
        {"access_token":"opaque-%1$s","token_type":"Bearer","expires_in":3600,"id_token":"%2$s",
         "scope":"%4$s",
         "patient":"p-%1$s"%3$s}"""
                            .formatted(
                                suffix,
                                idToken.serialize(),
                                encounter ? ",\"encounter\":\"e-" + suffix + "\"" : "",
                                grantedScope))));
    HttpResponse<String> callback =
        clinician.get("/callback?code=c-" + suffix + "&state=" + q(sent.getState().getValue()));
    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
    return new Launched(clinician, suffix);
  }

  private void serve(WireMockServer ehr, String url, IBaseResource resource) {
    ehr.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(url)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody(fhirContext.newJsonParser().encodeResourceToString(resource))));
  }

  private <T extends IBaseResource> T mirrored(Class<T> type, String typeName, String ehrId) {
    Bundle found =
        fhir()
            .search()
            .forResource(type)
            .where(
                new ca.uhn.fhir.rest.gclient.TokenClientParam("identifier")
                    .exactly()
                    .systemAndIdentifier(
                        SimulatedEhr.launchContextsFhirBase() + "/" + typeName, ehrId))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(found.getEntry()).hasSize(1);
    return type.cast(found.getEntryFirstRep().getResource());
  }

  /**
   * A launch at the sandbox EHR with exactly this context: the clinician signs in, then the
   * console.
   */
  private Browser launchAtTheSandbox(GrantContext context, IdType practitioner) throws Exception {
    String launch = smartServer.launches().create(context);
    Browser browser = new Browser(base());
    HttpResponse<String> signIn =
        browser.follow("/launch?iss=" + q(base() + "/fhir") + "&launch=" + q(launch));
    if (signIn.statusCode() == 200 && signIn.body().contains("name=\"practitioner\"")) {
      HttpResponse<String> back =
          browser.postForm(
              "/sandbox/sign-in",
              Map.of(
                  "practitioner",
                  practitioner.getValue(),
                  "form_token",
                  Browser.formToken(signIn.body())));
      signIn = browser.follow(Browser.location(back));
    }
    assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(200);
    return browser;
  }

  private List<Appointment> appointmentsOf(IdType patient) {
    var map =
        ca.uhn.fhir.jpa.searchparam.SearchParameterMap.newSynchronous(
            Appointment.SP_PATIENT, new ca.uhn.fhir.rest.param.ReferenceParam(patient.getValue()));
    return daos
        .getResourceDao(Appointment.class)
        .search(map, new SystemRequestDetails())
        .getAllResources()
        .stream()
        .map(Appointment.class::cast)
        .toList();
  }

  private HttpResponse<String> postJson(Browser browser, String path) throws Exception {
    return browser.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}")));
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
