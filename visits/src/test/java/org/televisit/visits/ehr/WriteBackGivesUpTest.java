package org.televisit.visits.ehr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.SimulatedEhr;
import org.televisit.support.TelevisitIntegrationTest;
import org.televisit.visits.notify.Outbox;

/**
 * A write-back no retry can deliver is given up, with its reason, an AuditEvent and a metric,
 * instead of being retried every hour for ever; a passing failure (503) is still retried
 * (VisitFromAnotherEhrTest).
 */
@TelevisitIntegrationTest
class WriteBackGivesUpTest extends FhirTestSupport {

  @Autowired EhrVisits visits;
  @Autowired Outbox outbox;
  @Autowired JdbcTemplate jdbc;

  /** A visit linked to the write-back EHR, and one queued change of its Encounter. */
  private String queuedChange(String ehrEncounter, String refreshToken, Instant expiresAt) {
    org.hl7.fhir.instance.model.api.IIdType appointment =
        fhir()
            .create()
            .resource(
                bookedVisit(
                    createPatient(), createPractitioner(), Instant.now().plus(Duration.ofDays(3))))
            .execute()
            .getId();
    String local = "Appointment/" + appointment.getIdPart();
    visits.remember(
        new EhrVisits.Link(
            local,
            SimulatedEhr.writeBackFhirBase(),
            "p-1",
            ehrEncounter,
            null,
            null,
            true,
            "access-" + ehrEncounter,
            refreshToken,
            expiresAt));
    return outbox.enqueue(
        EncounterWriteBack.CHANNEL,
        local,
        "Patient/p-1",
        "{\"encounter\":\"Encounter/1\",\"status\":\"in-progress\",\"start\":\""
            + Instant.now()
            + "\",\"end\":null}");
  }

  private Map<String, Object> row(String id) {
    return jdbc.queryForMap(
        "SELECT given_up_at, sent_at, last_error, payload FROM televisit.outbox WHERE id = ?", id);
  }

  @Test
  void anEncounterTheEhrRefusesForGoodIsGivenUpAfterOneTry() throws Exception {
    WireMockServer ehr = SimulatedEhr.server();
    String encounter = "refused-" + UUID.randomUUID().toString().substring(0, 8);
    Encounter theirs = new Encounter();
    theirs.setId(new IdType("Encounter", encounter, "1"));
    theirs.setStatus(Encounter.EncounterStatus.PLANNED);
    ehr.stubFor(
        com.github.tomakehurst.wiremock.client.WireMock.get("/wb/fhir/Encounter/" + encounter)
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody(fhirContext.newJsonParser().encodeResourceToString(theirs))));
    ehr.stubFor(
        put("/wb/fhir/Encounter/" + encounter)
            .willReturn(
                aResponse()
                    .withStatus(422)
                    .withHeader("Content-Type", "application/fhir+json")
                    .withBody("{\"resourceType\":\"OperationOutcome\"}")));

    String id = queuedChange(encounter, null, Instant.now().plusSeconds(3600));

    await().atMost(Duration.ofSeconds(20)).until(() -> row(id).get("given_up_at") != null);
    assertThat(row(id)).containsEntry("sent_at", null).containsEntry("payload", null);
    assertThat((String) row(id).get("last_error"))
        .contains("the EHR refused the Encounter")
        .contains("422");
    Thread.sleep(2500); // the sender polls every second: a given-up message is not tried again
    ehr.verify(1, putRequestedFor(urlEqualTo("/wb/fhir/Encounter/" + encounter)));
    // (the visit's patient has no e-mail address: its join-link e-mail is given up too, with its
    // own event)
    assertThat(undeliverableAudits(id))
        .filteredOn(a -> a.contains("ehr-encounter"))
        .singleElement()
        .asString()
        .contains("422");
    String metrics = get("/actuator/prometheus", "text/plain").body();
    assertThat(
            metrics
                .lines()
                .filter(l -> l.startsWith("televisit_outbox_given_up{channel=\"ehr-encounter\"")))
        .singleElement()
        .satisfies(
            l ->
                assertThat(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .isGreaterThanOrEqualTo(1));
  }

  @Test
  void lapsedTokensWithNoRefreshTokenAreGivenUpWithoutCallingTheEhr() {
    String encounter = "lapsed-" + UUID.randomUUID().toString().substring(0, 8);
    String id = queuedChange(encounter, null, Instant.now().minusSeconds(60));

    await().atMost(Duration.ofSeconds(20)).until(() -> row(id).get("given_up_at") != null);
    assertThat((String) row(id).get("last_error")).contains("lapsed").contains("no refresh token");
    SimulatedEhr.server()
        .verify(
            0,
            com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                urlEqualTo("/wb/fhir/Encounter/" + encounter)));
  }

  private java.util.List<String> undeliverableAudits(String outboxId) {
    String appointment =
        jdbc.queryForObject(
            "SELECT appointment FROM televisit.outbox WHERE id = ?", String.class, outboxId);
    return auditEventsAbout(appointment).stream()
        .filter(
            e ->
                e.getSubtype().stream()
                    .anyMatch(c -> "notification-undeliverable".equals(c.getCode())))
        .map(e -> e.getOutcome().toCode() + " " + e.getOutcomeDesc())
        .toList();
  }
}
