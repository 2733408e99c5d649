package org.televisit.visits.ehr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.televisit.support.Browser;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.OtherEhrLaunch;
import org.televisit.support.SimulatedEhr;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * A visit launched from another EHR (WireMock), registered with Encounter write-back: the console
 * opens on the EHR's patient and appointment (kept in Televisit's store under the EHR's ids), the
 * visit runs on Televisit's own Encounter, and each change of it reaches the EHR's Encounter
 * through the outbox, retried when the EHR fails.
 */
@TelevisitIntegrationTest
class VisitFromAnotherEhrTest extends FhirTestSupport {

  static final String CLIENT = SimulatedEhr.CLIENT_ID;

  String json(org.hl7.fhir.instance.model.api.IBaseResource r) {
    return fhirContext.newJsonParser().encodeResourceToString(r);
  }

  @Test
  void theEhrsPatientAndAppointmentOpenTheVisitAndItsEncounterIsWrittenBackThroughFailures()
      throws Exception {
    WireMockServer ehr = SimulatedEhr.server();
    String iss = SimulatedEhr.writeBackFhirBase();
    String path = "/wb/fhir";
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String ehrPatient = "p-" + suffix;
    String ehrEncounter = "e-" + suffix;
    String ehrAppointment = "a-" + suffix;
    // the EHR's records
    Patient patient = new Patient();
    patient.setId(ehrPatient);
    patient.addName().setFamily("Elsewhere").addGiven("Eli");
    patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1971-03-04"));
    patient.setGender(Enumerations.AdministrativeGender.MALE);
    patient
        .addIdentifier()
        .setSystem("urn:oid:1.2.3.4.mrn")
        .setValue("MRN-" + suffix)
        .getType()
        .addCoding()
        .setSystem("http://terminology.hl7.org/CodeSystem/v2-0203")
        .setCode("MR");
    patient
        .addTelecom()
        .setSystem(ContactPoint.ContactPointSystem.EMAIL)
        .setValue("eli-" + suffix + "@example.org");
    ehr.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(path + "/Patient/" + ehrPatient)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody(json(patient))));
    Appointment appointment = new Appointment();
    appointment.setId(ehrAppointment);
    appointment.setStatus(Appointment.AppointmentStatus.BOOKED);
    appointment.setStart(Date.from(Instant.now().plusSeconds(300)));
    appointment.setEnd(Date.from(Instant.now().plusSeconds(1500)));
    appointment
        .addParticipant()
        .setActor(new Reference("Patient/" + ehrPatient))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    appointment
        .addParticipant()
        .setActor(new Reference("Practitioner/d-" + suffix))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    ehr.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(path + "/Appointment/" + ehrAppointment)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody(json(appointment))));
    org.hl7.fhir.r4.model.Practitioner doctor = new org.hl7.fhir.r4.model.Practitioner();
    doctor.setId("d-" + suffix);
    doctor.addName().setFamily("Faraway").addGiven("Dana").addPrefix("Dr");
    ehr.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(path + "/Practitioner/d-" + suffix)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody(json(doctor))));
    Encounter planned = new Encounter();
    planned.setId(new org.hl7.fhir.r4.model.IdType("Encounter", ehrEncounter, "1"));
    planned.setStatus(Encounter.EncounterStatus.PLANNED);
    planned.setClass_(
        new org.hl7.fhir.r4.model.Coding(
            "http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
    planned.setSubject(new Reference("Patient/" + ehrPatient));
    ehr.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get(path + "/Encounter/" + ehrEncounter)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody(json(planned))));
    // the EHR fails the first write-back, then takes every one
    String scenario = "write-back-" + suffix;
    ehr.stubFor(
        put(path + "/Encounter/" + ehrEncounter)
            .inScenario(scenario)
            .whenScenarioStateIs(Scenario.STARTED)
            .willReturn(aResponse().withStatus(503))
            .willSetStateTo("up"));
    ehr.stubFor(
        put(path + "/Encounter/" + ehrEncounter)
            .inScenario(scenario)
            .whenScenarioStateIs("up")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody(json(planned))));

    // the EHR launch, with an id_token naming the clinician
    OtherEhrLaunch.Context context =
        new OtherEhrLaunch.Context(
            ehrPatient,
            ehrEncounter,
            ehrAppointment,
            "d-" + suffix,
            "launch openid fhirUser user/Patient.rs user/Appointment.rs user/Encounter.cruds");
    Browser clinician =
        OtherEhrLaunch.launch(base(), ehr, iss, "/wb", CLIENT, "10.40.0.1", context);
    String access = "Bearer " + OtherEhrLaunch.accessToken(context);

    // the console shows the EHR's patient
    HttpResponse<String> banner = clinician.get("/api/console/patient");
    assertThat(banner.statusCode()).as(banner.body()).isEqualTo(200);
    assertThat(JSONObjectUtils.parse(banner.body()))
        .containsEntry("name", "Eli Elsewhere")
        .containsEntry("mrn", "MRN-" + suffix)
        .containsEntry("birthDate", "1971-03-04");
    ehr.verify(
        getRequestedFor(path + "/Patient/" + ehrPatient)
            .withHeader("Authorization", equalTo(access)));

    // kept in Televisit's store under the EHR's ids
    Bundle mirrored =
        fhir()
            .search()
            .forResource(Appointment.class)
            .where(
                Appointment.IDENTIFIER
                    .exactly()
                    .systemAndIdentifier(iss + "/Appointment", ehrAppointment))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(mirrored.getEntry()).hasSize(1);
    String local =
        "Appointment/" + mirrored.getEntryFirstRep().getResource().getIdElement().getIdPart();
    // the clinician's name from the EHR's record of the user (fhirUser), shown to the patient
    Bundle clinicians =
        fhir()
            .search()
            .forResource(org.hl7.fhir.r4.model.Practitioner.class)
            .where(
                org.hl7.fhir.r4.model.Practitioner.IDENTIFIER
                    .exactly()
                    .systemAndIdentifier(iss + "/Practitioner", "d-" + suffix))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(
            ((org.hl7.fhir.r4.model.Practitioner) clinicians.getEntryFirstRep().getResource())
                .getNameFirstRep()
                .getNameAsSingleString())
        .isEqualTo("Dr Dana Faraway");

    // start: Televisit's Encounter, and the EHR's Encounter in progress (after one 503)
    HttpResponse<String> started = postJson(clinician, "/api/console/visit/start", "{}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                ehr.verify(
                    2,
                    putRequestedFor(urlEqualTo(path + "/Encounter/" + ehrEncounter))
                        .withRequestBody(matchingJsonPath("$.status", equalTo("in-progress")))
                        .withRequestBody(matchingJsonPath("$.class.code", equalTo("VR")))
                        .withRequestBody(
                            matchingJsonPath(
                                "$.appointment[0].reference",
                                equalTo("Appointment/" + ehrAppointment)))
                        .withRequestBody(
                            matchingJsonPath(
                                "$.participant[0].individual.reference",
                                equalTo("Practitioner/d-" + suffix)))
                        .withHeader("Authorization", equalTo(access))));

    // end: finished with a period end in the EHR too
    HttpResponse<String> ended = postJson(clinician, "/api/console/visit/end", "{}");
    assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                ehr.verify(
                    1,
                    putRequestedFor(urlEqualTo(path + "/Encounter/" + ehrEncounter))
                        .withRequestBody(matchingJsonPath("$.status", equalTo("finished")))
                        .withRequestBody(matchingJsonPath("$.period.end"))));
    assertThat(auditEventsAbout(local))
        .map(AuditEvent::getOutcomeDesc)
        .contains(
            "Encounter in-progress written to the EHR", "Encounter finished written to the EHR");
  }

  static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder getRequestedFor(
      String url) {
    return com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlPathEqualTo(url));
  }
}
