package org.televisit.visits.visit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.televisit.support.Browser;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.JanusByHand;
import org.televisit.support.TelevisitIntegrationTest;
import org.televisit.support.TestMailServer;
import org.televisit.visits.presence.Presence;

/**
 * Invited guests (an interpreter here) and "send again", from the clinician's console: each guest
 * has their own link, role and name, waits like the patient (no birth-date check: they have none on
 * file), is admitted with the role from the visit's records (never from the page), joins the real
 * Janus with their own token, and can be removed (link and token revoked).
 */
@TelevisitIntegrationTest
class GuestsOverHttpTest extends FhirTestSupport {

  @Autowired Presence presence;

  Browser launchClinician(IdType practitioner, IdType appointment) throws Exception {
    return launchClinician(practitioner, appointment, "10.30.0.1");
  }

  @Test
  void anInvitedInterpreterWaitsIsAdmittedJoinsTheRoomAndCanBeRemoved() throws Exception {
    String patientEmail =
        "guest-visit-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    String interpreterEmail =
        "interpreter-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    IdType patient = createPatient("Guestly", "Gil", "1960-01-02", patientEmail);
    IdType practitioner = createPractitioner();
    IdType appointment =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, Instant.now().plusSeconds(300)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    String firstPatientLink = TestMailServer.joinLinkSentTo(patientEmail);
    Browser clinician = launchClinician(practitioner, appointment);

    // bad input: a sentence, nothing issued
    assertThat(
            postJson(
                clinician, "/api/console/visit/invite", "{\"role\":\"surgeon\",\"name\":\"X\"}"))
        .satisfies(r -> assertThat(r.statusCode()).isEqualTo(400))
        .satisfies(
            r ->
                assertThat(r.body())
                    .contains("interpreter, a family member or a second clinician"));
    assertThat(
            postJson(
                    clinician,
                    "/api/console/visit/invite",
                    "{\"role\":\"interpreter\",\"name\":\"  \"}")
                .statusCode())
        .isEqualTo(400);
    assertThat(
            postJson(
                    clinician,
                    "/api/console/visit/invite",
                    "{\"role\":\"interpreter\",\"name\":\"Ana\",\"email\":\"not an address\"}")
                .body())
        .contains("e-mail address does not look right");

    // the invitation: a personal link, also e-mailed
    HttpResponse<String> invited =
        postJson(
            clinician,
            "/api/console/visit/invite",
            "{\"role\":\"interpreter\",\"name\":\"Ana Intérprete\",\"email\":\""
                + interpreterEmail
                + "\"}");
    assertThat(invited.statusCode()).as(invited.body()).isEqualTo(201);
    String link = (String) JSONObjectUtils.parse(invited.body()).get("link");
    assertThat(link).startsWith(base() + "/join/").doesNotContain("Ana");
    assertThat(TestMailServer.joinLinkSentTo(interpreterEmail)).isEqualTo(link);
    assertThat(
            Arrays.stream(TestMailServer.received())
                .filter(
                    m ->
                        com.icegreen.greenmail.util.GreenMailUtil.getHeaders(m)
                            .contains(interpreterEmail))
                .findFirst()
                .orElseThrow()
                .getSubject())
        .isEqualTo("You are invited to a video visit");

    List<Object> people =
        com.nimbusds.jose.util.JSONArrayUtils.parse(
            clinician.get("/api/console/visit/people").body());
    assertThat(people).hasSize(3); // you, the patient, the interpreter
    @SuppressWarnings("unchecked")
    Map<String, Object> ana = (Map<String, Object>) people.get(2);
    assertThat(ana).containsEntry("role", "interpreter").containsEntry("display", "Ana Intérprete");
    String guest = (String) ana.get("participant");
    assertThat(guest).startsWith("guest/").doesNotContain("Ana");
    // and on the Appointment: typed as a translator, named, found by the guest's key
    assertThat(guestOnTheAppointment(appointment, guest))
        .satisfies(
            g -> {
              assertThat(g.getActor().getDisplay()).isEqualTo("Ana Intérprete");
              assertThat(g.getTypeFirstRep().getCodingFirstRep().getCode()).isEqualTo("translator");
              assertThat(g.getStatus())
                  .isEqualTo(org.hl7.fhir.r4.model.Appointment.ParticipationStatus.ACCEPTED);
            });

    // the interpreter opens the link: no birth-date form (the patient's check), straight to the
    // waiting room
    Browser interpreter = new Browser(base(), "10.30.0.2");
    HttpResponse<String> waiting = interpreter.get(link);
    assertThat(waiting.body()).contains("waiting room").doesNotContain("birth_date");
    String roomKey = VisitWorkflow.roomKey(appointment.getValue());
    assertThat(presence.state(roomKey, guest)).isEqualTo("waiting");
    assertThat(JSONObjectUtils.parse(interpreter.get("/api/waiting-room").body()).get("admitted"))
        .isEqualTo(false);

    // admitted with the role and name of the invitation, whatever the page claims
    assertThat(postJson(clinician, "/api/console/visit/start", "{}").statusCode()).isEqualTo(200);
    HttpResponse<String> admitted =
        postJson(
            clinician,
            "/api/console/visit/admit",
            "{\"participant\":\"" + guest + "\",\"role\":\"clinician\",\"display\":\"Dr Fake\"}");
    assertThat(admitted.statusCode()).as(admitted.body()).isEqualTo(200);
    Map<String, Object> join =
        JSONObjectUtils.getJSONObject(
            JSONObjectUtils.parse(interpreter.get("/api/waiting-room").body()), "join");
    assertThat(join)
        .containsEntry("role", "interpreter")
        .containsEntry("display", "Ana Intérprete");
    assertThat(
            JanusByHand.joinAsPublisher(
                    JanusByHand.from(base(), (String) join.get("janusUrl")),
                    (String) join.get("token"),
                    (String) join.get("opaqueId"),
                    ((Number) join.get("room")).longValue(),
                    (String) join.get("pin"),
                    ((Number) join.get("feedId")).longValue(),
                    "Interpreter")
                .path("janus")
                .asText())
        .isEqualTo("ack");

    // nobody else gets in through the console: an unknown guest key, another patient
    assertThat(
            postJson(clinician, "/api/console/visit/admit", "{\"participant\":\"guest/nobody\"}")
                .statusCode())
        .isEqualTo(409);
    assertThat(
            postJson(
                    clinician,
                    "/api/console/visit/admit",
                    "{\"participant\":\"" + createPatient().getValue() + "\"}")
                .statusCode())
        .isEqualTo(403);

    // removed: the link stops working and the Janus token is gone
    assertThat(
            postJson(clinician, "/api/console/visit/remove", "{\"participant\":\"" + guest + "\"}")
                .statusCode())
        .isEqualTo(200);
    assertThat(guestOnTheAppointment(appointment, guest).getStatus())
        .isEqualTo(org.hl7.fhir.r4.model.Appointment.ParticipationStatus.DECLINED);
    HttpResponse<String> withdrawn = new Browser(base(), "10.30.0.3").get(link);
    assertThat(withdrawn.statusCode()).isEqualTo(410);
    assertThat(withdrawn.body()).contains("This link was withdrawn");
    assertThat(interpreter.get("/api/waiting-room").statusCode()).isEqualTo(401);
    assertThat(
            JanusByHand.call(
                    JanusByHand.from(base(), (String) join.get("janusUrl")),
                    JanusByHand.body("create", (String) join.get("token")))
                .path("janus")
                .asText())
        .isEqualTo("error");
    assertThat(
            postJson(
                    clinician,
                    "/api/console/visit/remove",
                    "{\"participant\":\"" + patient.getValue() + "\"}")
                .statusCode())
        .isEqualTo(400);

    // "send again": a new link in the patient's mailbox; the first one still works (several
    // devices)
    HttpResponse<String> sent = postJson(clinician, "/api/console/visit/send-link", "{}");
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                Arrays.stream(TestMailServer.received())
                        .filter(
                            m ->
                                com.icegreen.greenmail.util.GreenMailUtil.getHeaders(m)
                                    .contains(patientEmail))
                        .count()
                    == 2);
    String again =
        Arrays.stream(TestMailServer.received())
            .filter(
                m -> com.icegreen.greenmail.util.GreenMailUtil.getHeaders(m).contains(patientEmail))
            .map(TestMailServer::joinLinkIn)
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(again).isNotEqualTo(firstPatientLink);
    assertThat(new Browser(base(), "10.30.0.4").get(firstPatientLink).statusCode()).isEqualTo(200);

    // the record: the guest's e-mail as a Communication about the visit, and the audit trail
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        fhir()
                            .search()
                            .forResource(Communication.class)
                            .where(Communication.SUBJECT.hasId(patient))
                            .returnBundle(Bundle.class)
                            .execute()
                            .getEntry())
                    .map(e -> ((Communication) e.getResource()).getRecipientFirstRep().getDisplay())
                    .contains("Ana Intérprete (interpreter)"));
    assertThat(auditSubtypesAbout(appointment.getValue()))
        .contains("link-issued", "admit", "remove");
    postJson(clinician, "/api/console/visit/end", "{}");
  }

  org.hl7.fhir.r4.model.Appointment.AppointmentParticipantComponent guestOnTheAppointment(
      IdType appointment, String guest) {
    return fhir()
        .read()
        .resource(org.hl7.fhir.r4.model.Appointment.class)
        .withId(appointment.getIdPart())
        .execute()
        .getParticipant()
        .stream()
        .filter(
            p ->
                org.televisit.visits.join.VisitGuests.GUESTS.equals(
                        p.getActor().getIdentifier().getSystem())
                    && guest.equals(p.getActor().getIdentifier().getValue()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void withoutAnAddressOnFileSendAgainSaysSo() throws Exception {
    IdType appointment =
        (IdType)
            fhir()
                .create()
                .resource(
                    bookedVisit(
                        createPatient(), createPractitioner(), Instant.now().plusSeconds(600)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    IdType practitioner =
        new IdType(
            fhir()
                .read()
                .resource(org.hl7.fhir.r4.model.Appointment.class)
                .withId(appointment.getIdPart())
                .execute()
                .getParticipant()
                .stream()
                .map(pa -> pa.getActor().getReference())
                .filter(r -> r.startsWith("Practitioner/"))
                .findFirst()
                .orElseThrow());
    HttpResponse<String> refused =
        postJson(launchClinician(practitioner, appointment), "/api/console/visit/send-link", "{}");
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.body()).contains("no e-mail address on file");
  }
}
