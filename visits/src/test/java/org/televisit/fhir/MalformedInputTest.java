package org.televisit.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.televisit.support.ErrorLog;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/** Bad input is the client's mistake: 400 with an OperationOutcome, never 500. */
@TelevisitIntegrationTest
class MalformedInputTest extends FhirTestSupport {

  @Test
  void brokenJsonIs400() throws Exception {
    assertBadRequest(
        post("/fhir/Appointment", "application/fhir+json", "{\"resourceType\": \"Appointment\", "));
  }

  @Test
  void notJsonAtAllIs400() throws Exception {
    assertBadRequest(post("/fhir/Appointment", "application/fhir+json", "hello"));
  }

  @Test
  void aBodyOfAnotherTypeIs400() throws Exception {
    assertBadRequest(
        post("/fhir/Appointment", "application/fhir+json", "{\"resourceType\":\"Patient\"}"));
  }

  @Test
  void anUnknownResourceTypeIs400() throws Exception {
    assertBadRequest(
        post("/fhir/Spaceship", "application/fhir+json", "{\"resourceType\":\"Spaceship\"}"));
    assertBadRequest(get("/fhir/Spaceship?name=x"));
    assertBadRequest(
        post("/fhir/Appointment", "application/fhir+json", "{\"resourceType\":\"Spaceship\"}"));
  }

  @Test
  void aTypeTelevisitDoesNotServeIs400() throws Exception {
    assertBadRequest(get("/fhir/Observation"));
  }

  @Test
  void anUnknownElementIsRefusedByName() throws Exception {
    // Well-formed JSON that is not valid FHIR: the validator's 422, naming the element.
    HttpResponse<String> response =
        post(
            "/fhir/Appointment",
            "application/fhir+json",
            "{\"resourceType\":\"Appointment\",\"status\":\"proposed\",\"colour\":\"blue\","
                + "\"participant\":[{\"status\":\"needs-action\",\"type\":[{\"text\":\"x\"}]}]}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
    assertThat(response.body()).contains("OperationOutcome").contains("colour");
  }

  @Test
  void anInvalidCodeIsRefused() throws Exception {
    HttpResponse<String> response =
        post(
            "/fhir/Appointment",
            "application/fhir+json",
            "{\"resourceType\":\"Appointment\",\"status\":\"maybe\",\"participant\":[{\"status\":\"accepted\"}]}");
    assertThat(response.statusCode()).isBetween(400, 422);
    assertThat(response.body()).contains("OperationOutcome");
  }

  /**
   * What a rejected or corrected body held never reaches the log at any level the server writes: an
   * invalid birth date, a name, a malformed time or reference and an unknown element are each
   * refused or dropped without their values showing up in a log line (HAPI's parser messages echo
   * values).
   */
  @Test
  void noValueOfABadBodyReachesTheLog() throws Exception {
    java.util.List<String> sent = new java.util.ArrayList<>();
    try (ErrorLog log = ErrorLog.open(Level.TRACE)) {
      sent.add(
          post(
                      "/fhir/Patient",
                      "application/fhir+json",
                      "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Zyxwquor\"}],\"birthDate\":\"1961-13-45\"}")
                  .statusCode()
              + " patient");
      sent.add(
          post(
                      "/fhir/Appointment",
                      "application/fhir+json",
                      "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"start\":\"Vqxz-02-30T25:00\"}")
                  .statusCode()
              + " start");
      sent.add(
          post(
                      "/fhir/Appointment",
                      "application/fhir+json",
                      "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"participant\":[{\"actor\":"
                          + "{\"reference\":\"Practitioner/1008?x=Kqzvmark\"},\"status\":\"accepted\"}]}")
                  .statusCode()
              + " reference");
      sent.add(
          post(
                      "/fhir/Appointment",
                      "application/fhir+json",
                      "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"Wqqzunknown\":\"Jxqvsecret\"}")
                  .statusCode()
              + " unknown");
      assertThat(sent).noneMatch(line -> line.startsWith("5"));
      assertThat(log.lines())
          .as("log lines while the bad bodies were answered")
          .noneMatch(
              line ->
                  line.contains("Zyxwquor")
                      || line.contains("1961-13-45")
                      || line.contains("Vqxz")
                      || line.contains("Kqzvmark")
                      || line.contains("Jxqvsecret"));
    }
  }

  void assertBadRequest(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("\"resourceType\":\"OperationOutcome\"");
  }
}
