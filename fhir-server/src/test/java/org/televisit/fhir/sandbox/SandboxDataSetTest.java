package org.televisit.fhir.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Slot;
import org.junit.jupiter.api.Test;

class SandboxDataSetTest {

  static final ZoneId ZONE = ZoneId.of("Europe/Paris");
  // A Saturday: no free slots today or tomorrow, today's appointments still exist.
  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 28, 10, 7, 0, 0, ZONE);

  final Bundle bundle = new SandboxDataSet(ZONE, 14).asTransaction(NOW);

  List<Resource> ofType(String type) {
    return bundle.getEntry().stream()
        .map(Bundle.BundleEntryComponent::getResource)
        .filter(r -> r.fhirType().equals(type))
        .toList();
  }

  @Test
  void theClinicHasTheAdvertisedPeopleAndPlaces() {
    assertThat(ofType("Patient")).hasSizeGreaterThanOrEqualTo(6);
    assertThat(ofType("Practitioner")).hasSize(3);
    assertThat(ofType("PractitionerRole")).hasSize(3);
    assertThat(ofType("Schedule")).hasSize(3);
    assertThat(ofType("Organization")).hasSize(1);
    assertThat(ofType("Location")).hasSize(1);
  }

  @Test
  void everyEntryIsAConditionalCreateWithAUniqueMatchUrl() {
    Set<String> seen = new HashSet<>();
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.POST);
      assertThat(entry.getRequest().getIfNoneExist()).startsWith("identifier=");
      assertThat(seen.add(entry.getRequest().getUrl() + "?" + entry.getRequest().getIfNoneExist()))
          .as("duplicate match URL %s", entry.getRequest().getIfNoneExist())
          .isTrue();
    }
  }

  @Test
  void freeSlotsAreTwentyMinutesOnWeekdaysOnlyForTheNextFourteenDays() {
    List<Slot> free =
        ofType("Slot").stream()
            .map(Slot.class::cast)
            .filter(s -> s.getStatus() == Slot.SlotStatus.FREE)
            .toList();
    // 10 weekdays in the 14 days after Saturday 28 Nov; 7 hours a day; 3 practitioners.
    assertThat(free).hasSize(10 * 21 * 3);
    for (Slot slot : free) {
      ZonedDateTime start = slot.getStart().toInstant().atZone(ZONE);
      assertThat(start.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
      assertThat(start.toLocalDate())
          .isAfter(NOW.toLocalDate())
          .isBeforeOrEqualTo(NOW.toLocalDate().plusDays(14));
      assertThat(slot.getEnd().getTime() - slot.getStart().getTime()).isEqualTo(20 * 60_000L);
    }
  }

  @Test
  void todaysAppointmentsAreBookedVisitsThatPassTheWriteRules() {
    List<Appointment> appointments =
        ofType("Appointment").stream().map(Appointment.class::cast).toList();
    assertThat(appointments).hasSizeGreaterThanOrEqualTo(3);
    for (Appointment a : appointments) {
      assertThat(a.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
      assertThat(a.getStart().toInstant().atZone(ZONE).toLocalDate()).isEqualTo(NOW.toLocalDate());
      assertThat(a.getStart().toInstant()).isAfter(NOW.toInstant());
      assertThat(a.getSlot()).hasSize(1);
      // References are still urn:uuid placeholders here, so only the times are checked by the
      // rules.
      assertThat(a.getEnd()).isAfter(a.getStart());
    }
    Map<String, Long> perPractitioner =
        appointments.stream()
            .collect(
                Collectors.groupingBy(
                    a -> a.getParticipant().get(1).getActor().getReference(),
                    Collectors.counting()));
    assertThat(perPractitioner).hasSizeGreaterThan(1);
  }

  @Test
  void theFirstVisitsLinkIsOpenAtOnceAndItIsNoNoShowForTenMinutes() {
    assertThat(SandboxDataSet.firstVisitStart(NOW.withMinute(2)).toLocalTime().toString())
        .isEqualTo("10:00");
    assertThat(SandboxDataSet.firstVisitStart(NOW).toLocalTime().toString())
        .isEqualTo("10:20"); // 10:07
    assertThat(SandboxDataSet.firstVisitStart(NOW.withMinute(40)).toLocalTime().toString())
        .isEqualTo("10:40");
    assertThat(SandboxDataSet.firstVisitStart(NOW.withMinute(59)).toLocalTime().toString())
        .isEqualTo("11:00");
    for (int m = 0; m < 60; m++) {
      ZonedDateTime now = NOW.withMinute(m);
      ZonedDateTime start = SandboxDataSet.firstVisitStart(now);
      assertThat(start.minusMinutes(15)).as("link open at %s", now).isBeforeOrEqualTo(now);
      assertThat(start.plusMinutes(15))
          .as("not a no-show before 10 min at %s", now)
          .isAfterOrEqualTo(now.plusMinutes(10));
    }
  }
}
