package org.televisit.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

@TelevisitIntegrationTest
class AppointmentStoreTest extends FhirTestSupport {

  static final Instant DAY = Instant.parse("2031-03-03T00:00:00Z");

  IdType patient;
  IdType practitioner;

  @BeforeEach
  void people() {
    patient = createPatient();
    practitioner = createPractitioner();
  }

  @Test
  void createReadUpdateWithVersionsAndNoDelete() throws Exception {
    IdType id =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, DAY.plusSeconds(9 * 3600)))
                .execute()
                .getId();
    Appointment read = fhir().read().resource(Appointment.class).withId(id.getIdPart()).execute();
    assertThat(read.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
    assertThat(read.getMeta().getVersionId()).isEqualTo("1");

    read.setStatus(Appointment.AppointmentStatus.ARRIVED);
    fhir().update().resource(read).execute();
    Appointment v2 = fhir().read().resource(Appointment.class).withId(id.getIdPart()).execute();
    assertThat(v2.getStatus()).isEqualTo(Appointment.AppointmentStatus.ARRIVED);
    assertThat(v2.getMeta().getVersionId()).isEqualTo("2");

    Bundle history =
        fhir().history().onInstance(id.toVersionless()).returnBundle(Bundle.class).execute();
    assertThat(history.getEntry()).hasSize(2);

    // records are corrected by status, never removed: DELETE is refused and the visit stays
    HttpResponse<String> delete =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/fhir/Appointment/" + id.getIdPart()))
                .header("Authorization", "Bearer " + systemToken())
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(delete.statusCode()).as(delete.body()).isEqualTo(405);
    assertThat(delete.body()).contains("OperationOutcome").contains("corrected by its status");
    assertThat(delete.headers().firstValue("Allow"))
        .hasValueSatisfying(allow -> assertThat(allow).contains("GET").doesNotContain("DELETE"));
    assertThat(get("/fhir/Appointment/" + id.getIdPart()).statusCode()).isEqualTo(200);
    org.hl7.fhir.r4.model.CapabilityStatement metadata =
        fhir().capabilities().ofType(org.hl7.fhir.r4.model.CapabilityStatement.class).execute();
    assertThat(metadata.getRestFirstRep().getResource())
        .isNotEmpty()
        .allSatisfy(
            r ->
                assertThat(r.getInteraction())
                    .extracting(i -> i.getCode().toCode())
                    .doesNotContain("delete"));
    assertThat(metadata.getRestFirstRep().getResource())
        .filteredOn(r -> r.getType().equals("Appointment"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.getInteraction())
                    .extracting(i -> i.getCode().toCode())
                    .contains("read", "update", "create"));
  }

  @Test
  void searchByPatientPractitionerDateAndStatus() {
    Instant nine = DAY.plusSeconds(9 * 3600);
    IdType other = createPatient();
    create(bookedVisit(patient, practitioner, nine));
    create(bookedVisit(patient, practitioner, nine.plusSeconds(86_400 * 3)));
    create(bookedVisit(other, practitioner, nine.plusSeconds(3600)));
    Appointment cancelled = bookedVisit(patient, practitioner, nine.plusSeconds(7200));
    cancelled.setStatus(Appointment.AppointmentStatus.CANCELLED);
    create(cancelled);

    assertThat(search(Appointment.PATIENT.hasId(patient))).hasSize(3);
    assertThat(search(Appointment.PRACTITIONER.hasId(practitioner))).hasSize(4);
    assertThat(
            fhir()
                .search()
                .forResource(Appointment.class)
                .where(Appointment.PATIENT.hasId(patient))
                .and(Appointment.DATE.afterOrEquals().second(java.util.Date.from(DAY)))
                .and(Appointment.DATE.before().second(java.util.Date.from(DAY.plusSeconds(86_400))))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry())
        .as("only the visits on that day")
        .hasSize(2);
    assertThat(
            fhir()
                .search()
                .forResource(Appointment.class)
                .where(Appointment.PATIENT.hasId(patient))
                .and(Appointment.STATUS.exactly().code("booked"))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry())
        .hasSize(2);
  }

  @Test
  void conditionalCreateDoesNotDuplicate() {
    Appointment a = bookedVisit(patient, practitioner, DAY.plusSeconds(10 * 3600));
    String token = "cond-" + patient.getIdPart();
    a.addIdentifier().setSystem("urn:televisit:test:booking").setValue(token);
    String condition = "identifier=urn:televisit:test:booking|" + token;
    assertThat(
            fhir()
                .create()
                .resource(a)
                .conditionalByUrl("Appointment?" + condition)
                .execute()
                .getCreated())
        .isTrue();
    Boolean created =
        fhir()
            .create()
            .resource(a)
            .conditionalByUrl("Appointment?" + condition)
            .execute()
            .getCreated();
    assertThat(created).isNotEqualTo(Boolean.TRUE);
    assertThat(
            fhir()
                .search()
                .forResource(Appointment.class)
                .where(
                    new TokenClientParam("identifier")
                        .exactly()
                        .systemAndCode("urn:televisit:test:booking", token))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry())
        .hasSize(1);
  }

  @Test
  void conditionalUpdateCreatesThenUpdatesTheSameResource() {
    String token = "upd-" + patient.getIdPart();
    Appointment a = bookedVisit(patient, practitioner, DAY.plusSeconds(11 * 3600));
    a.addIdentifier().setSystem("urn:televisit:test:booking").setValue(token);
    String url = "Appointment?identifier=urn:televisit:test:booking|" + token;
    var first = fhir().update().resource(a).conditionalByUrl(url).execute();
    assertThat(first.getCreated()).isTrue();
    a.setStatus(Appointment.AppointmentStatus.ARRIVED);
    var second = fhir().update().resource(a).conditionalByUrl(url).execute();
    assertThat(second.getId().getIdPart()).isEqualTo(first.getId().getIdPart());
    assertThat(second.getId().getVersionIdPart()).isEqualTo("2");
    assertThat(
            fhir()
                .read()
                .resource(Appointment.class)
                .withId(first.getId().getIdPart())
                .execute()
                .getStatus())
        .isEqualTo(Appointment.AppointmentStatus.ARRIVED);
  }

  @Test
  void aTransactionCreatesAPatientAndTheirVisitTogether() {
    Bundle tx = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    org.hl7.fhir.r4.model.Patient newPatient = new org.hl7.fhir.r4.model.Patient();
    newPatient.addName().setFamily("Transaction");
    String patientUrn = "urn:uuid:" + java.util.UUID.randomUUID();
    tx.addEntry()
        .setFullUrl(patientUrn)
        .setResource(newPatient)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Patient");
    Appointment visit = bookedVisit(patient, practitioner, DAY.plusSeconds(12 * 3600));
    visit.getParticipant().get(0).setActor(new org.hl7.fhir.r4.model.Reference(patientUrn));
    tx.addEntry()
        .setResource(visit)
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("Appointment");

    Bundle response = fhir().transaction().withBundle(tx).execute();
    assertThat(response.getEntry())
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
    String patientId =
        new IdType(response.getEntry().get(0).getResponse().getLocation()).getIdPart();
    Appointment stored =
        fhir()
            .read()
            .resource(Appointment.class)
            .withId(new IdType(response.getEntry().get(1).getResponse().getLocation()).getIdPart())
            .execute();
    assertThat(stored.getParticipant().get(0).getActor().getReferenceElement().getIdPart())
        .isEqualTo(patientId);
  }

  void create(Appointment a) {
    fhir().create().resource(a).execute();
  }

  List<Bundle.BundleEntryComponent> search(
      ca.uhn.fhir.rest.gclient.ICriterion<ReferenceClientParam> criterion) {
    return fhir()
        .search()
        .forResource(Appointment.class)
        .where(criterion)
        .returnBundle(Bundle.class)
        .execute()
        .getEntry();
  }
}
