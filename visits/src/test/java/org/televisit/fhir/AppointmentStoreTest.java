package org.televisit.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
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
  void createReadUpdateDeleteWithVersions() throws Exception {
    IdType id =
        (IdType) fhir().create().resource(bookedVisit(patient, practitioner, DAY.plusSeconds(9 * 3600)))
            .execute().getId();
    Appointment read = fhir().read().resource(Appointment.class).withId(id.getIdPart()).execute();
    assertThat(read.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
    assertThat(read.getMeta().getVersionId()).isEqualTo("1");

    read.setStatus(Appointment.AppointmentStatus.ARRIVED);
    fhir().update().resource(read).execute();
    Appointment v2 = fhir().read().resource(Appointment.class).withId(id.getIdPart()).execute();
    assertThat(v2.getStatus()).isEqualTo(Appointment.AppointmentStatus.ARRIVED);
    assertThat(v2.getMeta().getVersionId()).isEqualTo("2");

    Bundle history = fhir().history().onInstance(id.toVersionless()).returnBundle(Bundle.class).execute();
    assertThat(history.getEntry()).hasSize(2);

    fhir().delete().resourceById(id.toUnqualifiedVersionless()).execute();
    assertThat(get("/fhir/Appointment/" + id.getIdPart()).statusCode()).isEqualTo(410);
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
            fhir().search().forResource(Appointment.class)
                .where(Appointment.PATIENT.hasId(patient))
                .and(Appointment.DATE.afterOrEquals().second(java.util.Date.from(DAY)))
                .and(Appointment.DATE.before().second(java.util.Date.from(DAY.plusSeconds(86_400))))
                .returnBundle(Bundle.class).execute().getEntry())
        .as("only the visits on that day")
        .hasSize(2);
    assertThat(
            fhir().search().forResource(Appointment.class)
                .where(Appointment.PATIENT.hasId(patient))
                .and(Appointment.STATUS.exactly().code("booked"))
                .returnBundle(Bundle.class).execute().getEntry())
        .hasSize(2);
  }

  @Test
  void conditionalCreateDoesNotDuplicate() {
    Appointment a = bookedVisit(patient, practitioner, DAY.plusSeconds(10 * 3600));
    String token = "cond-" + patient.getIdPart();
    a.addIdentifier().setSystem("urn:televisit:test:booking").setValue(token);
    String condition = "identifier=urn:televisit:test:booking|" + token;
    assertThat(fhir().create().resource(a).conditionalByUrl("Appointment?" + condition).execute().getCreated()).isTrue();
    Boolean created = fhir().create().resource(a).conditionalByUrl("Appointment?" + condition).execute().getCreated();
    assertThat(created).isNotEqualTo(Boolean.TRUE);
    assertThat(
            fhir().search().forResource(Appointment.class)
                .where(new TokenClientParam("identifier").exactly().systemAndCode("urn:televisit:test:booking", token))
                .returnBundle(Bundle.class).execute().getEntry())
        .hasSize(1);
  }

  void create(Appointment a) {
    fhir().create().resource(a).execute();
  }

  List<Bundle.BundleEntryComponent> search(ca.uhn.fhir.rest.gclient.ICriterion<ReferenceClientParam> criterion) {
    return fhir().search().forResource(Appointment.class).where(criterion).returnBundle(Bundle.class).execute().getEntry();
  }
}
