package org.televisit.fhir.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Appointment.AppointmentStatus;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VisitWriteRulesTest {

  static final Instant NINE = Instant.parse("2026-12-01T09:00:00Z");

  static Appointment bookedVisit() {
    Appointment a = new Appointment();
    a.setStatus(AppointmentStatus.BOOKED);
    a.setStart(Date.from(NINE));
    a.setEnd(Date.from(NINE.plusSeconds(1200)));
    a.addParticipant().setActor(new Reference("Patient/1"));
    a.addParticipant().setActor(new Reference("Practitioner/2"));
    return a;
  }

  static Encounter virtualEncounter(EncounterStatus status) {
    Encounter e = new Encounter();
    e.setStatus(status);
    e.setClass_(new Coding(VisitWriteRules.ACT_CODE_SYSTEM, "VR", "virtual"));
    e.setSubject(new Reference("Patient/1"));
    return e;
  }

  static List<String> rules(List<VisitWriteRules.Violation> violations) {
    return violations.stream().map(VisitWriteRules.Violation::rule).toList();
  }

  @Test
  void aCompleteBookedVisitPasses() {
    assertThat(VisitWriteRules.check(bookedVisit())).isEmpty();
  }

  @Test
  void practitionerRoleCountsAsTheClinician() {
    Appointment a = bookedVisit();
    a.getParticipant().get(1).setActor(new Reference("PractitionerRole/7"));
    assertThat(VisitWriteRules.check(a)).isEmpty();
  }

  @Test
  void anUntypedReferenceWithATypeCounts() {
    Appointment a = bookedVisit();
    a.getParticipant().get(0).setActor(new Reference().setType("Patient").setDisplay("walk-in"));
    assertThat(VisitWriteRules.check(a)).isEmpty();
  }

  @Test
  void statusIsRequired() {
    Appointment a = bookedVisit();
    a.setStatus(null);
    assertThat(rules(VisitWriteRules.check(a))).containsExactly("appointment-status");
  }

  @ParameterizedTest
  @EnumSource(
      value = AppointmentStatus.class,
      names = {"BOOKED", "ARRIVED", "FULFILLED", "CHECKEDIN", "PENDING", "NOSHOW"})
  void scheduledStatusesNeedStartAndEnd(AppointmentStatus status) {
    Appointment a = bookedVisit().setStatus(status);
    a.setEnd(null);
    assertThat(rules(VisitWriteRules.check(a))).containsExactly("appointment-times");
    a.setEnd(Date.from(NINE.plusSeconds(60))).setStart(null);
    assertThat(rules(VisitWriteRules.check(a))).containsExactly("appointment-times");
  }

  @Test
  void endMustBeAfterStart() {
    Appointment a = bookedVisit();
    a.setEnd(Date.from(NINE));
    List<VisitWriteRules.Violation> v = VisitWriteRules.check(a);
    assertThat(rules(v)).containsExactly("appointment-times");
    assertThat(v.get(0).message()).contains("end must be after");
  }

  @Test
  void aBookedVisitNeedsAPatientAndAClinician() {
    Appointment noPatient = bookedVisit();
    noPatient.getParticipant().remove(0);
    assertThat(rules(VisitWriteRules.check(noPatient))).containsExactly("appointment-patient");

    Appointment noClinician = bookedVisit();
    noClinician.getParticipant().remove(1);
    noClinician.addParticipant().setActor(new Reference("Location/3"));
    assertThat(rules(VisitWriteRules.check(noClinician))).containsExactly("appointment-clinician");
  }

  @ParameterizedTest
  @EnumSource(
      value = AppointmentStatus.class,
      names = {"PROPOSED", "CANCELLED", "ENTEREDINERROR", "WAITLIST"})
  void unscheduledStatusesAreNotHeldToTimesOrParticipants(AppointmentStatus status) {
    Appointment a = new Appointment().setStatus(status);
    assertThat(VisitWriteRules.check(a)).isEmpty();
  }

  @Test
  void aPlannedVirtualEncounterNeedsOnlySubject() {
    assertThat(VisitWriteRules.check(virtualEncounter(EncounterStatus.PLANNED))).isEmpty();
    Encounter e = virtualEncounter(EncounterStatus.PLANNED);
    e.setSubject(null);
    assertThat(rules(VisitWriteRules.check(e))).containsExactly("encounter-subject");
  }

  @Test
  void anInProgressVirtualEncounterNeedsPeriodStart() {
    Encounter e = virtualEncounter(EncounterStatus.INPROGRESS);
    assertThat(rules(VisitWriteRules.check(e))).containsExactly("encounter-period-start");
    e.getPeriod().setStart(Date.from(NINE));
    assertThat(VisitWriteRules.check(e)).isEmpty();
  }

  @Test
  void aFinishedVirtualEncounterNeedsBothEndsInOrder() {
    Encounter e = virtualEncounter(EncounterStatus.FINISHED);
    e.getPeriod().setStart(Date.from(NINE));
    assertThat(rules(VisitWriteRules.check(e))).containsExactly("encounter-period-end");
    e.getPeriod().setEnd(Date.from(NINE.minusSeconds(1)));
    assertThat(rules(VisitWriteRules.check(e))).containsExactly("encounter-period-order");
    e.getPeriod().setEnd(Date.from(NINE.plusSeconds(900)));
    assertThat(VisitWriteRules.check(e)).isEmpty();
  }

  @Test
  void encounterStatusAndClassAreRequired() {
    Encounter e = virtualEncounter(EncounterStatus.PLANNED);
    e.setStatus(null);
    assertThat(rules(VisitWriteRules.check(e))).containsExactly("encounter-status");
    Encounter noClass = virtualEncounter(EncounterStatus.PLANNED);
    noClass.setClass_(null);
    assertThat(rules(VisitWriteRules.check(noClass))).containsExactly("encounter-class");
  }

  @Test
  void otherEncounterClassesAreLeftToTheEhr() {
    Encounter ambulatory = new Encounter().setStatus(EncounterStatus.INPROGRESS);
    ambulatory.setClass_(new Coding(VisitWriteRules.ACT_CODE_SYSTEM, "AMB", "ambulatory"));
    assertThat(VisitWriteRules.check(ambulatory)).isEmpty();
  }
}
