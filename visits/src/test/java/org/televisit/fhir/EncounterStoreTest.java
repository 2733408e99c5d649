package org.televisit.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

@TelevisitIntegrationTest
class EncounterStoreTest extends FhirTestSupport {

  @Test
  void searchByPatientClassAndStatus() {
    IdType patient = createPatient();
    fhir()
        .create()
        .resource(virtualEncounter(patient, Encounter.EncounterStatus.PLANNED))
        .execute();
    Encounter started = virtualEncounter(patient, Encounter.EncounterStatus.INPROGRESS);
    started.getPeriod().setStart(Date.from(Instant.parse("2031-03-03T09:00:00Z")));
    fhir().create().resource(started).execute();
    Encounter ambulatory = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED);
    ambulatory.setClass_(
        new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
    ambulatory.setSubject(new org.hl7.fhir.r4.model.Reference(patient));
    fhir().create().resource(ambulatory).execute();

    assertThat(count(Encounter.SUBJECT.hasId(patient))).isEqualTo(3);
    assertThat(
            fhir()
                .search()
                .forResource(Encounter.class)
                .where(Encounter.SUBJECT.hasId(patient))
                .and(
                    Encounter.CLASS
                        .exactly()
                        .systemAndCode("http://terminology.hl7.org/CodeSystem/v3-ActCode", "VR"))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry())
        .hasSize(2);
    assertThat(
            fhir()
                .search()
                .forResource(Encounter.class)
                .where(Encounter.SUBJECT.hasId(patient))
                .and(Encounter.CLASS.exactly().code("VR"))
                .and(Encounter.STATUS.exactly().code("in-progress"))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry())
        .singleElement()
        .satisfies(
            e -> assertThat(((Encounter) e.getResource()).getPeriod().getStart()).isNotNull());
  }

  int count(ca.uhn.fhir.rest.gclient.ICriterion<?> criterion) {
    return fhir()
        .search()
        .forResource(Encounter.class)
        .where(criterion)
        .returnBundle(Bundle.class)
        .execute()
        .getEntry()
        .size();
  }
}
