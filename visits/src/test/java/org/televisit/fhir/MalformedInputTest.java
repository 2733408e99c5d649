package org.televisit.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
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

  void assertBadRequest(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(response.body()).contains("\"resourceType\":\"OperationOutcome\"");
  }
}
