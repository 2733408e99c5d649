package org.televisit.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * What a probe with a valid token found (issue 19): each request is refused with a 4xx and an
 * OperationOutcome, quickly, nothing stored, and the service answers the next request.
 */
@TelevisitIntegrationTest
class HostileInputTest extends FhirTestSupport {

  static final String VR =
      "{\"system\":\"http://terminology.hl7.org/CodeSystem/v3-ActCode\",\"code\":\"VR\"}";

  @Test
  void aBodyOverTheLimitIs413BeforeItIsParsed() throws Exception {
    IdType patient = createPatient();
    StringBuilder body =
        new StringBuilder(
            "{\"resourceType\":\"Encounter\",\"status\":\"planned\",\"class\":"
                + VR
                + ",\"subject\":{\"reference\":\""
                + patient.getValue()
                + "\"},\"extension\":[");
    for (int i = 0; i < 50_000; i++) {
      body.append(i == 0 ? "" : ",")
          .append("{\"url\":\"http://example.org/x")
          .append(i)
          .append("\",\"valueString\":\"v\"}");
    }
    body.append("]}");
    assertThat(body.length()).isGreaterThan(2_000_000);
    long started = System.nanoTime();
    HttpResponse<String> response =
        post("/fhir/Encounter", "application/fhir+json", body.toString());
    assertThat(response.statusCode()).as(abbreviated(response.body())).isEqualTo(413);
    assertThat(response.body()).contains("OperationOutcome");
    assertThat((System.nanoTime() - started) / 1_000_000).as("ms").isLessThan(5_000);
    assertAlive();
  }

  @Test
  void deepNestingIsRefusedWhileParsing() throws Exception {
    // contained nested 100 deep (took ~40 s), and JSON nested past gson's 255 (a 500 from the
    // validator)
    String contained =
        "{\"resourceType\":\"Appointment\",\"status\":\"proposed\",\"participant\":[{\"status\":\"needs-action\"}]}";
    for (int i = 0; i < 100; i++) {
      contained =
          "{\"resourceType\":\"Appointment\",\"status\":\"proposed\",\"participant\":[{\"status\":\"needs-action\"}],"
              + "\"contained\":["
              + contained
              + "]}";
    }
    long started = System.nanoTime();
    assertRefused(post("/fhir/Appointment", "application/fhir+json", contained));
    assertThat((System.nanoTime() - started) / 1_000_000).as("ms").isLessThan(5_000);
    String deep =
        "{\"resourceType\":\"Appointment\",\"status\":\"proposed\",\"extension\":[{\"url\":\"http://x\",\"valueString\":"
            + "[".repeat(300)
            + "]".repeat(300)
            + "}]}";
    assertRefused(post("/fhir/Appointment", "application/fhir+json", deep));
    assertAlive();
  }

  @Test
  void oddContentTypesReferencesAndStringsAre4xx() throws Exception {
    String appointment =
        "{\"resourceType\":\"Appointment\",\"status\":\"proposed\",\"participant\":[{\"status\":\"needs-action\"}]}";
    assertRefused(post("/fhir/Appointment", "application/fhir+turtle", appointment));
    IdType practitioner = createPractitioner();
    IdType patient = createPatient();
    Appointment booked = bookedVisit(patient, practitioner, Instant.now().plusSeconds(86_400 * 9));
    String id = fhir().create().resource(booked).execute().getId().getIdPart();
    String json =
        fhirContext
            .newJsonParser()
            .encodeResourceToString(booked.setId(id))
            .replace(
                "\"" + practitioner.getValue() + "\"", "\"" + practitioner.getValue() + "?x=1\"");
    assertRefused(put("/fhir/Appointment/" + id, json));
    assertRefused(
        post(
            "/fhir/Patient",
            "application/fhir+json",
            "{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\"urn:x\",\"value\":\"\\ud800\"}]}"));
    assertAlive();
  }

  @Test
  void aBodyOfAnotherTypeThanTheUrlIsRefusedForEveryType() throws Exception {
    assertRefused(
        post(
            "/fhir/Appointment",
            "application/fhir+json",
            "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"rest\"},\"recorded\":\"2026-01-01T00:00:00Z\"}"));
    assertRefused(
        post(
            "/fhir/AuditEvent",
            "application/fhir+json",
            "{\"resourceType\":\"Appointment\",\"status\":\"proposed\",\"participant\":[{\"status\":\"needs-action\"}]}"));
  }

  @Test
  void transactionsAndBatchesStoreOnlyTheServedTypesAndNoAuditEvent() throws Exception {
    for (String kind : new String[] {"transaction", "batch"}) {
      for (String entry :
          new String[] {
            "{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}",
            "{\"resourceType\":\"Binary\",\"contentType\":\"text/plain\",\"data\":\"aGk=\"}",
            "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"rest\"},\"recorded\":\"2026-01-01T00:00:00Z\","
                + "\"agent\":[{\"requestor\":true}],\"source\":{\"observer\":{\"display\":\"x\"}}}"
          }) {
        String type = entry.substring(17, entry.indexOf('"', 17));
        String bundle =
            "{\"resourceType\":\"Bundle\",\"type\":\""
                + kind
                + "\",\"entry\":[{\"resource\":"
                + entry
                + ",\"request\":{\"method\":\"POST\",\"url\":\""
                + type
                + "\"}}]}";
        HttpResponse<String> response = post("/fhir", "application/fhir+json", bundle);
        if (kind.equals("transaction")) {
          assertRefused(response);
        } else {
          // a batch answers per entry: the entry is refused, nothing stored
          assertThat(response.statusCode()).as(abbreviated(response.body())).isLessThan(500);
          assertThat(response.body()).doesNotContain("\"status\":\"201");
        }
      }
    }
    HttpResponse<String> history = get("/fhir/_history?_count=200");
    assertThat(history.body())
        .doesNotContain("\"resourceType\":\"Binary\"")
        .doesNotContain("\"resourceType\":\"Observation\"");
  }

  private HttpResponse<String> put(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/fhir+json")
            .header("Authorization", "Bearer " + systemToken())
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void assertRefused(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(abbreviated(response.body())).isBetween(400, 499);
    assertThat(response.body()).contains("OperationOutcome");
  }

  static String abbreviated(String body) {
    return body.length() > 600 ? body.substring(0, 600) + "…" : body;
  }

  private void assertAlive() throws Exception {
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/actuator/health/liveness"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }
}
