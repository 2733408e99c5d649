package org.televisit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

@TelevisitIntegrationTest
class OperationsEndpointsTest extends FhirTestSupport {

  @Test
  void livenessAndReadinessIncludingTheDatabase() throws Exception {
    HttpResponse<String> liveness = get("/actuator/health/liveness", "application/json");
    assertThat(liveness.statusCode()).isEqualTo(200);
    assertThat(liveness.body()).contains("\"status\":\"UP\"");

    HttpResponse<String> readiness = get("/actuator/health/readiness", "application/json");
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body())
        .contains("\"status\":\"UP\"")
        .contains("\"db\":{\"status\":\"UP\"}");
  }

  @Test
  void prometheusMetricsAreExposed() throws Exception {
    HttpResponse<String> metrics = get("/actuator/prometheus", "text/plain");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("jvm_memory_used_bytes").contains("hikaricp_connections");
    // what the outbox holds back, per channel: a failing SMTP server or EHR shows here
    assertThat(metrics.body())
        .containsPattern("televisit_outbox_waiting\\{.*channel=\"email\".*} [0-9.]+")
        .containsPattern(
            "televisit_outbox_oldest_waiting_seconds\\{.*channel=\"ehr-encounter\".*} [0-9.]+");
  }

  @Test
  void metadataListsTheServedTypesOnly() throws Exception {
    HttpResponse<String> metadata = get("/fhir/metadata");
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(metadata.body())
        .contains("\"type\":\"Appointment\"")
        .contains("\"type\":\"Encounter\"")
        .contains("\"type\":\"Slot\"")
        .contains("\"type\":\"Communication\"")
        .doesNotContain("\"type\":\"Observation\"")
        .doesNotContain("\"type\":\"ValueSet\"");
  }

  @Test
  void fhirReadInABrowserIsAPageNotADownload() throws Exception {
    // what Chromium sends for a typed address
    HttpResponse<String> page =
        get("/fhir/metadata", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.headers().firstValue("Content-Disposition")).isEmpty();
    assertThat(page.body()).contains("CapabilityStatement");
    // programs still get FHIR JSON
    assertThat(get("/fhir/metadata").headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/fhir+json");
  }
}
