package org.televisit.visits.visit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Provenance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.televisit.support.Browser;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;
import org.televisit.support.TestMailServer;
import org.televisit.visits.video.VideoBackend;

/**
 * One whole visit over HTTP, without a browser: booked through /fhir, the clinician launched from
 * the sandbox EHR, the patient in the waiting room through the e-mailed link, start (Encounter in
 * progress, a room on the real local Janus), admit, end (Encounter finished, Appointment fulfilled,
 * room closed, tokens gone) with Provenance and AuditEvents. The real-browser test with media is
 * still to come.
 */
@TelevisitIntegrationTest
class VisitOverHttpTest extends FhirTestSupport {

  @Autowired VideoBackend video;

  Browser launchClinician(IdType practitioner, IdType appointment) throws Exception {
    return launchClinician(practitioner, appointment, "10.20.0.1");
  }

  @Autowired VisitWorkflow workflow;

  @Test
  void withoutAnAppointmentInTheLaunchTheConsoleTakesTodaysVisitOfThisPatientAndClinician()
      throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    // still today in the server's zone, even just before midnight
    java.time.ZoneId zone = java.time.ZoneId.systemDefault();
    Instant soon = Instant.now().plusSeconds(600);
    Instant start =
        soon.atZone(zone).toLocalDate().equals(java.time.LocalDate.now(zone))
            ? soon
            : Instant.now().minusSeconds(1500);
    IdType today =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, start))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    Browser clinician = new Browser(base(), "10.23.0.1");
    HttpResponse<String> launched =
        clinician.postForm(
            "/sandbox/launch",
            Map.of(
                "practitioner",
                practitioner.getValue(),
                "patient",
                patient.getValue(),
                "app",
                "televisit",
                "form_token",
                Browser.formToken(clinician.get("/sandbox").body())));
    assertThat(clinician.follow(Browser.location(launched)).statusCode()).isEqualTo(200);
    HttpResponse<String> cancelled = postJson(clinician, "/api/console/visit/cancel", "{}");
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(JSONObjectUtils.parse(cancelled.body()).get("appointment"))
        .isEqualTo(today.getValue());

    Browser noVisit = new Browser(base(), "10.23.0.2");
    launched =
        noVisit.postForm(
            "/sandbox/launch",
            Map.of(
                "practitioner",
                createPractitioner().getValue(),
                "patient",
                patient.getValue(),
                "app",
                "televisit",
                "form_token",
                Browser.formToken(noVisit.get("/sandbox").body())));
    noVisit.follow(Browser.location(launched));
    // no visit today with this clinician: an on-demand one now (issue 20: it used to be a 409 and
    // no visit)
    HttpResponse<String> started = postJson(noVisit, "/api/console/visit/start", "{}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    assertThat(postJson(noVisit, "/api/console/visit/end", "{}").statusCode()).isEqualTo(200);
  }

  @Test
  void theClinicianCanCancelAndAPatientWhoNeverCameIsANoShow() throws Exception {
    IdType patient = createPatient();
    IdType practitioner = createPractitioner();
    IdType later =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, Instant.now().plusSeconds(3600)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    Browser clinician = launchClinician(practitioner, later);
    // "Patient's link": a new personal link the clinician can pass on
    HttpResponse<String> copied = postJson(clinician, "/api/console/visit/patient-link", "{}");
    assertThat(copied.statusCode()).as(copied.body()).isEqualTo(200);
    String link = (String) JSONObjectUtils.parse(copied.body()).get("link");
    assertThat(link).startsWith(base() + "/join/");
    assertThat(new Browser(base(), "10.22.0.1").get(link).statusCode()).isEqualTo(200);
    HttpResponse<String> cancelled = postJson(clinician, "/api/console/visit/cancel", "{}");
    assertThat(cancelled.statusCode()).as(cancelled.body()).isEqualTo(200);
    assertThat(
            fhir()
                .read()
                .resource(Appointment.class)
                .withId(later.getIdPart())
                .execute()
                .getStatus())
        .isEqualTo(Appointment.AppointmentStatus.CANCELLED);
    Bundle encounters =
        fhir()
            .search()
            .forResource(Encounter.class)
            .where(Encounter.APPOINTMENT.hasId(later))
            .returnBundle(Bundle.class)
            .execute();
    assertThat(((Encounter) encounters.getEntryFirstRep().getResource()).getStatus())
        .isEqualTo(Encounter.EncounterStatus.CANCELLED);
    HttpResponse<String> cancelledLink = new Browser(base(), "10.22.0.2").get(link);
    assertThat(cancelledLink.statusCode()).as("a cancel revokes every link").isEqualTo(410);
    assertThat(cancelledLink.body()).contains("This visit was cancelled");

    IdType missed =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, Instant.now().minusSeconds(1800)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    IdType upcoming =
        (IdType)
            fhir()
                .create()
                .resource(
                    bookedVisit(patient, createPractitioner(), Instant.now().plusSeconds(300)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    assertThat(workflow.markNoShows(Duration.ofMinutes(15))).isGreaterThanOrEqualTo(1);
    assertThat(
            fhir()
                .read()
                .resource(Appointment.class)
                .withId(missed.getIdPart())
                .execute()
                .getStatus())
        .isEqualTo(Appointment.AppointmentStatus.NOSHOW);
    assertThat(
            fhir()
                .search()
                .forResource(Provenance.class)
                .where(Provenance.TARGET.hasId(missed))
                .returnBundle(Bundle.class)
                .execute()
                .getEntry())
        .map(e -> ((Provenance) e.getResource()).getAgentFirstRep().getWho().getDisplay())
        .containsExactly("Televisit no-show rule");
    assertThat(
            fhir()
                .read()
                .resource(Appointment.class)
                .withId(upcoming.getIdPart())
                .execute()
                .getStatus())
        .isEqualTo(Appointment.AppointmentStatus.BOOKED);
  }

  @Test
  void aWholeVisitFromBookingToTheFinishedEncounter() throws Exception {
    String email = "visit-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    IdType patient = createPatient("Visitor", "Vera", "1975-06-30", email);
    IdType practitioner = createPractitioner();
    IdType appointment =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, Instant.now().plusSeconds(120)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();

    // the patient's link arrives by mail; they pass the birth-date check and wait
    String link = TestMailServer.joinLinkSentTo(email);
    Browser patientBrowser = new Browser(base(), "10.21.0.1");
    String form = patientBrowser.get(link).body();
    HttpResponse<String> waiting =
        patientBrowser.postForm(
            link, Map.of("birth_date", "1975-06-30", "form_token", Browser.formToken(form)));
    assertThat(waiting.body()).contains("waiting room");
    assertThat(
            fhir()
                .read()
                .resource(Appointment.class)
                .withId(appointment.getIdPart())
                .execute()
                .getStatus())
        .isEqualTo(Appointment.AppointmentStatus.ARRIVED);
    assertThat(
            JSONObjectUtils.parse(patientBrowser.get("/api/waiting-room").body()).get("admitted"))
        .isEqualTo(false);

    // the clinician starts the visit from the console
    Browser clinician = launchClinician(practitioner, appointment);
    HttpResponse<String> started = postJson(clinician, "/api/console/visit/start", "{}");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(200);
    Map<String, Object> start = JSONObjectUtils.parse(started.body());
    Map<String, Object> join = JSONObjectUtils.getJSONObject(start, "join");
    assertThat(join.get("role")).isEqualTo("clinician");
    assertThat((String) join.get("token")).isNotBlank();
    String encounterRef = (String) start.get("encounter");
    Encounter inProgress =
        fhir()
            .read()
            .resource(Encounter.class)
            .withId(encounterRef.substring("Encounter/".length()))
            .execute();
    assertThat(inProgress.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
    assertThat(inProgress.getClass_().getCode()).isEqualTo("VR");
    assertThat(inProgress.getPeriod().hasStart()).isTrue();
    String roomKey = VisitWorkflow.roomKey(appointment.getValue());
    assertThat(roomKey).doesNotContain(appointment.getIdPart());
    assertThat(video.rooms().orElseThrow().room(roomKey)).isPresent();

    // admit the patient: their waiting room now answers with their own join data
    HttpResponse<String> admitted =
        postJson(
            clinician,
            "/api/console/visit/admit",
            "{\"participant\":\""
                + patient.getValue()
                + "\",\"role\":\"patient\",\"display\":\"Patient\"}");
    assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
    Map<String, Object> room =
        JSONObjectUtils.parse(patientBrowser.get("/api/waiting-room").body());
    assertThat(room.get("admitted")).isEqualTo(true);
    Map<String, Object> patientJoin = JSONObjectUtils.getJSONObject(room, "join");
    assertThat(patientJoin.get("token")).isNotEqualTo(join.get("token"));
    assertThat(patientJoin.get("room")).isEqualTo(join.get("room"));

    // someone else cannot end it
    Browser stranger = launchClinician(createPractitioner(), appointment);
    assertThat(postJson(stranger, "/api/console/visit/end", "{}").statusCode()).isIn(403, 409);

    // end: Encounter finished, Appointment fulfilled, room and tokens gone, links revoked
    HttpResponse<String> ended = postJson(clinician, "/api/console/visit/end", "{}");
    assertThat(ended.statusCode()).as(ended.body()).isEqualTo(200);
    Encounter finished =
        fhir()
            .read()
            .resource(Encounter.class)
            .withId(encounterRef.substring("Encounter/".length()))
            .execute();
    assertThat(finished.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
    assertThat(finished.getPeriod().getEnd()).isAfterOrEqualTo(finished.getPeriod().getStart());
    assertThat(
            fhir()
                .read()
                .resource(Appointment.class)
                .withId(appointment.getIdPart())
                .execute()
                .getStatus())
        .isEqualTo(Appointment.AppointmentStatus.FULFILLED);
    assertThat(video.rooms().orElseThrow().room(roomKey)).isEmpty();
    assertThat(video.rooms().orElseThrow().admissions(roomKey)).isEmpty();
    assertThat(patientBrowser.get("/api/waiting-room").statusCode()).isEqualTo(401);

    List<Provenance> provenance =
        fhir()
            .search()
            .forResource(Provenance.class)
            .where(Provenance.TARGET.hasId(encounterRef))
            .returnBundle(Bundle.class)
            .execute()
            .getEntry()
            .stream()
            .map(e -> (Provenance) e.getResource())
            .toList();
    assertThat(provenance)
        .extracting(pr -> pr.getAgentFirstRep().getWho().getReference())
        .contains(practitioner.getValue());
    assertThat(auditSubtypesAbout(appointment.getValue()))
        .contains("book", "arrived", "visit-start", "admit", "visit-end");
  }
}
