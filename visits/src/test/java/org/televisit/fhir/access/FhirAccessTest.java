package org.televisit.fhir.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.televisit.smart.server.GrantContext;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * /fhir behind SMART: 401 without a valid token, 403 outside the scopes or the patient's
 * compartment.
 */
@TelevisitIntegrationTest
class FhirAccessTest extends FhirTestSupport {

  IdType patient;
  IdType otherPatient;
  IdType practitioner;

  @BeforeEach
  void people() {
    patient = createPatient();
    otherPatient = createPatient();
    practitioner = createPractitioner();
  }

  HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Accept", "application/fhir+json")
            .header("Content-Type", "application/fhir+json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String patientToken(String scope) {
    return token(
        scope,
        new GrantContext(practitioner.getValue(), patient.getValue(), null, List.of(), true, null));
  }

  String json(Object resource) {
    return fhirContext
        .newJsonParser()
        .encodeResourceToString((org.hl7.fhir.instance.model.api.IBaseResource) resource);
  }

  @Test
  void withoutATokenOnlyMetadataAndDiscoveryAreOpen() throws Exception {
    HttpResponse<String> anonymous = call("GET", "/fhir/" + patient.getValue(), null, null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse(""))
        .startsWith("Bearer realm=");
    assertThat(anonymous.body()).contains("OperationOutcome");
    assertThat(call("GET", "/fhir/Appointment", null, null).statusCode()).isEqualTo(401);
    assertThat(call("GET", "/fhir/metadata", null, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/fhir/.well-known/smart-configuration", null, null).statusCode())
        .isEqualTo(200);

    HttpResponse<String> forged =
        call("GET", "/fhir/" + patient.getValue(), "eyJhbGciOiJub25lIn0.e30.", null);
    assertThat(forged.statusCode()).isEqualTo(401);
    assertThat(forged.headers().firstValue("WWW-Authenticate").orElse(""))
        .contains("error=\"invalid_token\"");
  }

  @Test
  void theScopeMustCoverTheInteractionAndTheType() throws Exception {
    String readPatients = token("user/Patient.r", GrantContext.none());
    assertThat(call("GET", "/fhir/" + patient.getValue(), readPatients, null).statusCode())
        .isEqualTo(200);
    HttpResponse<String> search =
        call("GET", "/fhir/Patient?_id=" + patient.getIdPart(), readPatients, null);
    assertThat(search.statusCode()).isEqualTo(403);
    assertThat(search.body()).contains("OperationOutcome").contains("search on Patient");
    HttpResponse<String> create =
        call(
            "POST",
            "/fhir/Appointment",
            readPatients,
            json(bookedVisit(patient, practitioner, Instant.now())));
    assertThat(create.statusCode()).isEqualTo(403);
    assertThat(create.body()).contains("create on Appointment");
    assertThat(call("DELETE", "/fhir/" + patient.getValue(), readPatients, null).statusCode())
        .isEqualTo(403);
    assertThat(call("GET", "/fhir/_history", readPatients, null).statusCode()).isEqualTo(403);
  }

  @Test
  void v1ScopesAreUnderstood() throws Exception {
    String v1 = token("user/Patient.read user/Appointment.write", GrantContext.none());
    assertThat(call("GET", "/fhir/Patient?_id=" + patient.getIdPart(), v1, null).statusCode())
        .isEqualTo(200);
    assertThat(
            call(
                    "POST",
                    "/fhir/Appointment",
                    v1,
                    json(bookedVisit(patient, practitioner, Instant.now())))
                .statusCode())
        .isEqualTo(201);
    assertThat(call("GET", "/fhir/Appointment", v1, null).statusCode()).isEqualTo(403);
  }

  @Test
  void patientScopesStayInTheLaunchPatientsCompartment() throws Exception {
    fhir()
        .create()
        .resource(virtualEncounter(patient, Encounter.EncounterStatus.PLANNED))
        .execute();
    fhir()
        .create()
        .resource(virtualEncounter(otherPatient, Encounter.EncounterStatus.PLANNED))
        .execute();
    String token =
        patientToken(
            "patient/Patient.rs patient/Encounter.rs patient/Practitioner.rs patient/Appointment.cruds");

    assertThat(call("GET", "/fhir/" + patient.getValue(), token, null).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/fhir/" + otherPatient.getValue(), token, null).statusCode())
        .isEqualTo(403);
    HttpResponse<String> own =
        call("GET", "/fhir/Encounter?subject=" + patient.getValue(), token, null);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).contains(patient.getValue()).doesNotContain(otherPatient.getValue());
    assertThat(
            call("GET", "/fhir/Encounter?subject=" + otherPatient.getValue(), token, null)
                .statusCode())
        .isEqualTo(403);
    // a search without the patient must not leak the other patient's encounters
    HttpResponse<String> all = call("GET", "/fhir/Encounter", token, null);
    assertThat(all.statusCode() == 403 || !all.body().contains(otherPatient.getValue())).isTrue();
    // directory data is not a patient's data
    assertThat(call("GET", "/fhir/" + practitioner.getValue(), token, null).statusCode())
        .isEqualTo(200);
    // writing into another patient's compartment is an escape
    assertThat(
            call(
                    "POST",
                    "/fhir/Appointment",
                    token,
                    json(bookedVisit(otherPatient, practitioner, Instant.now())))
                .statusCode())
        .isEqualTo(403);
    assertThat(
            call(
                    "POST",
                    "/fhir/Appointment",
                    token,
                    json(bookedVisit(patient, practitioner, Instant.now())))
                .statusCode())
        .isEqualTo(201);
  }

  @Test
  void aTransactionIsCheckedEntryByEntry() throws Exception {
    String token = token("user/Appointment.c", GrantContext.none());
    org.hl7.fhir.r4.model.Bundle bundle =
        new org.hl7.fhir.r4.model.Bundle()
            .setType(org.hl7.fhir.r4.model.Bundle.BundleType.TRANSACTION);
    bundle
        .addEntry()
        .setResource(bookedVisit(patient, practitioner, Instant.now()))
        .getRequest()
        .setMethod(org.hl7.fhir.r4.model.Bundle.HTTPVerb.POST)
        .setUrl("Appointment");
    assertThat(call("POST", "/fhir", token, json(bundle)).statusCode()).isEqualTo(200);
    bundle
        .addEntry()
        .setResource(virtualEncounter(patient, Encounter.EncounterStatus.PLANNED))
        .getRequest()
        .setMethod(org.hl7.fhir.r4.model.Bundle.HTTPVerb.POST)
        .setUrl("Encounter");
    HttpResponse<String> refused = call("POST", "/fhir", token, json(bundle));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("create on Encounter");
  }

  @Test
  void metadataAnnouncesTheAuthorizationServer() throws Exception {
    HttpResponse<String> metadata = call("GET", "/fhir/metadata", null, null);
    assertThat(metadata.body())
        .contains("http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris")
        .contains(base() + "/oauth/token")
        .contains(base() + "/oauth/authorize")
        .contains("SMART-on-FHIR");
  }
}
