package org.televisit.visits.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.televisit.support.Browser;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;
import org.televisit.support.TestMailServer;
import org.televisit.visits.visit.VisitWorkflow;

/**
 * The console's live presence (server-sent events): the patient appears waiting when they open
 * their link, connected when Janus (the real local one) reports their join, and a change written by
 * another app node (NOTIFY on the presence channel) reaches this node's console too.
 */
@TelevisitIntegrationTest
class PresenceTest extends FhirTestSupport {

  @Autowired DataSource dataSource;

  @Test
  void theConsoleSeesWaitingConnectedAndChangesFromAnotherNode() throws Exception {
    String email = "presence-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
    IdType patient = createPatient("Present", "Paula", "1990-01-15", email);
    IdType practitioner = createPractitioner();
    IdType appointment =
        (IdType)
            fhir()
                .create()
                .resource(bookedVisit(patient, practitioner, Instant.now().plusSeconds(120)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();

    Browser clinician = new Browser(base(), "10.30.0.1");
    HttpResponse<String> launched =
        clinician.postForm(
            "/sandbox/launch",
            Map.of(
                "practitioner",
                practitioner.getValue(),
                "appointment",
                appointment.getValue(),
                "app",
                "televisit",
                "form_token",
                Browser.formToken(clinician.get("/sandbox").body())));
    clinician.follow(Browser.location(launched));

    List<String> events = new CopyOnWriteArrayList<>();
    var stream =
        clinician.sendAsync(
            HttpRequest.newBuilder(URI.create(base() + "/api/console/visit/presence"))
                .header("Accept", "text/event-stream"),
            line -> {
              if (line.startsWith("data:")) {
                events.add(line.substring(5));
              }
            });
    await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty()); // the first snapshot

    // the patient opens the link: waiting
    String link = TestMailServer.joinLinkSentTo(email);
    Browser patientBrowser = new Browser(base(), "10.31.0.1");
    String form = patientBrowser.get(link).body();
    patientBrowser.postForm(
        link, Map.of("birth_date", "1990-01-15", "form_token", Browser.formToken(form)));
    await()
        .atMost(Duration.ofSeconds(2))
        .until(() -> last(events).contains(patient.getValue()) && last(events).contains("waiting"));

    // admitted and joined in Janus: connected
    clinician.send(
        HttpRequest.newBuilder(URI.create(base() + "/api/console/visit/start"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}")));
    clinician.send(
        HttpRequest.newBuilder(URI.create(base() + "/api/console/visit/admit"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"participant\":\"" + patient.getValue() + "\"}")));
    Map<String, Object> join =
        JSONObjectUtils.getJSONObject(
            JSONObjectUtils.parse(patientBrowser.get("/api/waiting-room").body()), "join");
    joinJanus(base(), join);
    await().atMost(Duration.ofSeconds(3)).until(() -> last(events).contains("connected"));

    // another app node records a change and announces it: this node's console shows it
    try (Connection other = dataSource.getConnection()) {
      other.setAutoCommit(true);
      try (var st =
          other.prepareStatement(
              "UPDATE televisit.presence SET state = 'media-lost', updated_at = now()"
                  + " WHERE visit_key = ? AND participant = ?")) {
        st.setString(1, VisitWorkflow.roomKey(appointment.getValue()));
        st.setString(2, patient.getValue());
        assertThat(st.executeUpdate()).isEqualTo(1);
      }
      try (var st = other.prepareStatement("SELECT pg_notify(?, ?)")) {
        st.setString(1, Presence.CHANNEL);
        st.setString(2, VisitWorkflow.roomKey(appointment.getValue()));
        st.execute();
      }
    }
    await().atMost(Duration.ofSeconds(2)).until(() -> last(events).contains("media-lost"));
    stream.cancel(true);
    clinician.send(
        HttpRequest.newBuilder(URI.create(base() + "/api/console/visit/end"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}")));
  }

  static String last(List<String> events) {
    return events.isEmpty() ? "" : events.get(events.size() - 1);
  }

  static void joinJanus(String base, Map<String, Object> join) throws Exception {
    var answer =
        org.televisit.support.JanusByHand.joinAsPublisher(
            org.televisit.support.JanusByHand.from(base, (String) join.get("janusUrl")),
            (String) join.get("token"),
            (String) join.get("opaqueId"),
            ((Number) join.get("room")).longValue(),
            (String) join.get("pin"),
            ((Number) join.get("feedId")).longValue(),
            "Patient");
    assertThat(answer.path("janus").asText()).isEqualTo("ack");
  }
}
