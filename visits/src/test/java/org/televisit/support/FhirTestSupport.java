package org.televisit.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the FHIR integration tests share: a client for /fhir and small builders of visit resources.
 */
public abstract class FhirTestSupport {

  @LocalServerPort protected int port;
  @Autowired protected FhirContext fhirContext;

  protected final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Autowired protected org.televisit.smart.server.SmartServer smartServer;

  @Autowired(required = false)
  org.televisit.fhir.sandbox.SandboxSeed sandboxSeed;

  /**
   * The sandbox launcher lists its clinic only once the start-up load is done (as a user would
   * wait).
   */
  @org.junit.jupiter.api.BeforeEach
  void sandboxClinicLoaded() throws Exception {
    if (sandboxSeed != null) {
      sandboxSeed.awaitStartupLoad(Duration.ofSeconds(120));
    }
  }

  private static String systemToken;

  /**
   * A backend-services token with every system scope, minted directly (the token endpoint itself is
   * tested in the authorization server tests); one per test run.
   */
  protected synchronized String systemToken() {
    if (systemToken == null) {
      systemToken = token("system/*.cruds", org.televisit.smart.server.GrantContext.none());
    }
    return systemToken;
  }

  /** A token of the test app with these scopes and this context, valid for an hour. */
  protected String token(String scope, org.televisit.smart.server.GrantContext context) {
    var grant =
        smartServer
            .grants()
            .create("televisit-it-tests", scope, context, Duration.ofHours(1), null);
    return smartServer
        .accessTokens()
        .issue(grant, scope, smartServer.urls().fhirBase(), Duration.ofHours(1));
  }

  protected String base() {
    return "http://localhost:" + port;
  }

  protected IGenericClient fhir() {
    fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
    // The first request warms HAPI up (validator, search parameters): give it room.
    fhirContext.getRestfulClientFactory().setSocketTimeout(60_000);
    IGenericClient client = fhirContext.newRestfulGenericClient(base() + "/fhir");
    client.registerInterceptor(
        new ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor(systemToken()));
    return client;
  }

  protected HttpResponse<String> post(String path, String contentType, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", contentType)
            .header("Accept", "application/fhir+json")
            .header("Authorization", "Bearer " + systemToken())
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * A fresh FHIR read: no-cache keeps HAPI from answering a repeated search from its result cache.
   */
  protected HttpResponse<String> get(String path) throws Exception {
    return get(path, "application/fhir+json");
  }

  protected HttpResponse<String> get(String path, String accept) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path.replace("|", "%7C")))
            .timeout(Duration.ofSeconds(60))
            .header("Accept", accept)
            .header("Cache-Control", "no-cache")
            .header("Authorization", "Bearer " + systemToken())
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The AuditEvents that name a resource (searchable as soon as what they record has committed).
   */
  protected java.util.List<org.hl7.fhir.r4.model.AuditEvent> auditEventsAbout(String reference) {
    org.hl7.fhir.r4.model.Bundle found =
        fhir()
            .search()
            .forResource(org.hl7.fhir.r4.model.AuditEvent.class)
            .where(org.hl7.fhir.r4.model.AuditEvent.ENTITY.hasId(reference))
            .count(200)
            .returnBundle(org.hl7.fhir.r4.model.Bundle.class)
            .execute();
    return found.getEntry().stream()
        .map(e -> (org.hl7.fhir.r4.model.AuditEvent) e.getResource())
        .toList();
  }

  /** The subtype codes of the AuditEvents that name a resource. */
  protected java.util.List<String> auditSubtypesAbout(String reference) {
    return auditEventsAbout(reference).stream()
        .flatMap(e -> e.getSubtype().stream())
        .map(org.hl7.fhir.r4.model.Coding::getCode)
        .toList();
  }

  protected IdType createPatient() {
    Patient p = new Patient();
    p.addIdentifier().setSystem("urn:televisit:test:mrn").setValue(UUID.randomUUID().toString());
    p.addName().setFamily("Test").addGiven("Pat");
    return (IdType) fhir().create().resource(p).execute().getId().toUnqualifiedVersionless();
  }

  /**
   * A patient who can get join links: a name, a birth date (the link's identity check), an e-mail
   * address (or none).
   */
  protected IdType createPatient(String family, String given, String birthDate, String email) {
    Patient p = new Patient();
    p.addName().setFamily(family).addGiven(given);
    p.setBirthDateElement(new org.hl7.fhir.r4.model.DateType(birthDate));
    if (email != null) {
      p.addTelecom()
          .setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.EMAIL)
          .setValue(email);
    }
    return (IdType) fhir().create().resource(p).execute().getId().toUnqualifiedVersionless();
  }

  protected IdType createPractitioner() {
    Practitioner p = new Practitioner();
    p.addIdentifier().setSystem("urn:televisit:test:npi").setValue(UUID.randomUUID().toString());
    p.addName().setFamily("Clinician").addGiven("Casey");
    return (IdType) fhir().create().resource(p).execute().getId().toUnqualifiedVersionless();
  }

  protected static Appointment bookedVisit(IdType patient, IdType practitioner, Instant start) {
    Appointment a = new Appointment();
    a.setStatus(Appointment.AppointmentStatus.BOOKED);
    a.setStart(Date.from(start));
    a.setEnd(Date.from(start.plusSeconds(1200)));
    a.addParticipant()
        .setActor(new Reference(patient))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    a.addParticipant()
        .setActor(new Reference(practitioner))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    return a;
  }

  protected static Encounter virtualEncounter(IdType patient, Encounter.EncounterStatus status) {
    Encounter e = new Encounter();
    e.setStatus(status);
    e.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR", "virtual"));
    e.setSubject(new Reference(patient));
    return e;
  }

  /**
   * A clinician's browser that launched Televisit from the sandbox EHR for this visit (the
   * console's session).
   */
  protected Browser launchClinician(IdType practitioner, IdType appointment, String clientAddress)
      throws Exception {
    Browser clinician = new Browser(base(), clientAddress);
    HttpResponse<String> launched =
        clinician.postForm(
            "/sandbox/launch",
            java.util.Map.of(
                "practitioner",
                practitioner.getValue(),
                "appointment",
                appointment.getValue(),
                "app",
                "televisit",
                "form_token",
                Browser.formToken(clinician.get("/sandbox").body())));
    org.assertj.core.api.Assertions.assertThat(
            clinician.follow(Browser.location(launched)).statusCode())
        .isEqualTo(200);
    return clinician;
  }

  /** A console action: JSON only, as the page sends it. */
  protected HttpResponse<String> postJson(Browser browser, String path, String json)
      throws Exception {
    return browser.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }
}
