package org.televisit.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * Each write rule over HTTP: broken gives 422 naming the rule and stores nothing; kept gives 201.
 */
@TelevisitIntegrationTest
class VisitWriteRulesOverHttpTest extends FhirTestSupport {

  static final Instant NINE = Instant.parse("2031-04-07T09:00:00Z");

  IdType patient;
  IdType practitioner;

  @BeforeEach
  void people() {
    patient = createPatient();
    practitioner = createPractitioner();
  }

  @Test
  void appointmentTimesRule() throws Exception {
    Appointment noEnd = bookedVisit(patient, practitioner, NINE);
    noEnd.setEnd(null);
    assertRefused(noEnd, "appointment-times");

    Appointment backwards = bookedVisit(patient, practitioner, NINE);
    backwards.setEnd(Date.from(NINE.minusSeconds(60)));
    assertRefused(backwards, "appointment-times");

    assertAccepted(bookedVisit(patient, practitioner, NINE));
  }

  @Test
  void appointmentPatientRule() throws Exception {
    Appointment noPatient = bookedVisit(patient, practitioner, NINE);
    noPatient.getParticipant().get(0).setActor(new Reference(createPractitioner()));
    assertRefused(noPatient, "appointment-patient");
  }

  @Test
  void appointmentClinicianRule() throws Exception {
    Appointment noClinician = bookedVisit(patient, practitioner, NINE);
    noClinician.getParticipant().get(1).setActor(new Reference(createPatient()));
    assertRefused(noClinician, "appointment-clinician");
  }

  @Test
  void arrivedAndFulfilledAreHeldToTheSameRules() throws Exception {
    for (Appointment.AppointmentStatus status :
        new Appointment.AppointmentStatus[] {
          Appointment.AppointmentStatus.ARRIVED, Appointment.AppointmentStatus.FULFILLED
        }) {
      Appointment a = bookedVisit(patient, practitioner, NINE).setStatus(status);
      a.setStart(null);
      assertRefused(a, "appointment-times");
    }
  }

  @Test
  void anUpdateThatBreaksARuleLeavesTheStoredVersion() throws Exception {
    IdType id =
        (IdType)
            fhir().create().resource(bookedVisit(patient, practitioner, NINE)).execute().getId();
    Appointment stored = fhir().read().resource(Appointment.class).withId(id.getIdPart()).execute();
    stored.setEnd(null);
    HttpResponse<String> response =
        put(
            "/fhir/Appointment/" + id.getIdPart(),
            fhirContext.newJsonParser().encodeResourceToString(stored));
    assertThat(response.statusCode()).isEqualTo(422);
    Appointment after = fhir().read().resource(Appointment.class).withId(id.getIdPart()).execute();
    assertThat(after.getMeta().getVersionId()).isEqualTo("1");
    assertThat(after.getEnd()).isNotNull();
  }

  @Test
  void encounterRules() throws Exception {
    Encounter noStart = virtualEncounter(patient, Encounter.EncounterStatus.INPROGRESS);
    assertRefused(noStart, "encounter-period-start");

    Encounter noSubject = virtualEncounter(patient, Encounter.EncounterStatus.PLANNED);
    noSubject.setSubject(null);
    assertRefused(noSubject, "encounter-subject");

    Encounter finishedNoEnd = virtualEncounter(patient, Encounter.EncounterStatus.FINISHED);
    finishedNoEnd.getPeriod().setStart(Date.from(NINE));
    assertRefused(finishedNoEnd, "encounter-period-end");

    Encounter started = virtualEncounter(patient, Encounter.EncounterStatus.INPROGRESS);
    started.getPeriod().setStart(Date.from(NINE));
    assertAccepted(started);
  }

  @Test
  void aTransactionWithOneBrokenVisitStoresNothing() throws Exception {
    String mrn = UUID.randomUUID().toString();
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Patient newPatient = new Patient();
    newPatient.addIdentifier().setSystem("urn:televisit:test:mrn").setValue(mrn);
    tx.addEntry()
        .setFullUrl("urn:uuid:" + UUID.randomUUID())
        .setResource(newPatient)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Patient");
    Appointment broken = bookedVisit(patient, practitioner, NINE);
    broken.getParticipant().get(0).setActor(new Reference(tx.getEntryFirstRep().getFullUrl()));
    broken.setEnd(null);
    tx.addEntry()
        .setResource(broken)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Appointment");

    HttpResponse<String> response =
        post(
            "/fhir",
            "application/fhir+json",
            fhirContext.newJsonParser().encodeResourceToString(tx));
    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.body()).contains("appointment-times");
    Bundle found =
        fhir()
            .search()
            .forResource(Patient.class)
            .where(Patient.IDENTIFIER.exactly().systemAndCode("urn:televisit:test:mrn", mrn))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(found.getEntry())
        .as("the patient of the refused transaction is not stored")
        .isEmpty();
  }

  @Test
  void invalidR4ContentIsRefusedByBaseValidation() throws Exception {
    // participant.status is 1..1 in R4: base validation, not a Televisit rule, refuses it.
    Appointment a = bookedVisit(patient, practitioner, NINE);
    a.getParticipant().get(0).setStatus(null);
    HttpResponse<String> response = postResource(a);
    assertThat(response.statusCode()).isEqualTo(422);
    OperationOutcome outcome =
        fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
    assertThat(outcome.getIssue()).isNotEmpty();
    assertThat(outcome.getIssueFirstRep().getSeverity())
        .isEqualTo(OperationOutcome.IssueSeverity.ERROR);
  }

  void assertRefused(Resource resource, String rule) throws Exception {
    String type = resource.fhirType();
    int before = count(type);
    HttpResponse<String> response = postResource(resource);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    OperationOutcome outcome =
        fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
    assertThat(outcome.getIssue())
        .anySatisfy(
            issue -> assertThat(issue.getDetails().getCodingFirstRep().getCode()).isEqualTo(rule));
    assertThat(count(type)).as("nothing stored").isEqualTo(before);
  }

  void assertAccepted(Resource resource) throws Exception {
    HttpResponse<String> response = postResource(resource);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
  }

  int count(String type) throws Exception {
    HttpResponse<String> response = get("/fhir/" + type + "?_summary=count");
    return fhirContext.newJsonParser().parseResource(Bundle.class, response.body()).getTotal();
  }

  HttpResponse<String> postResource(Resource resource) throws Exception {
    return post(
        "/fhir/" + resource.fhirType(),
        "application/fhir+json",
        fhirContext.newJsonParser().encodeResourceToString(resource));
  }

  HttpResponse<String> put(String path, String body) throws Exception {
    return http.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + path))
            .timeout(java.time.Duration.ofSeconds(60))
            .header("Content-Type", "application/fhir+json")
            .header("Authorization", "Bearer " + systemToken())
            .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
