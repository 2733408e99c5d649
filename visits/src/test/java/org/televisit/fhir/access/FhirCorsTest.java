package org.televisit.fhir.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.televisit.smart.server.ClientRegistry;
import org.televisit.smart.server.ClientType;
import org.televisit.support.Chromium;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.SimulatedEhr;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * Browser SMART apps on Televisit's /fhir: CORS for the origins of registered apps, the preflight
 * included (HAPI alone answers OPTIONS with 400), nothing for other origins; and a real browser
 * reading and writing from a page on another origin.
 */
@TelevisitIntegrationTest
class FhirCorsTest extends FhirTestSupport {

  static final String APP = "https://cors-app.example.org";

  @Test
  void theOriginsOfRegisteredAppsMayCallFhirAndOthersMayNot() throws Exception {
    register("cors-app", URI.create(APP + "/callback"));
    IdType patient = createPatient();

    HttpResponse<String> preflight =
        send(
            HttpRequest.newBuilder(URI.create(base() + "/fhir/Patient/" + patient.getIdPart()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", APP)
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "authorization,content-type"));
    assertThat(preflight.statusCode()).as(preflight.body()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
        .contains("PUT");
    assertThat(
            preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
        .contains("authorization");
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();

    HttpResponse<String> read =
        send(
            HttpRequest.newBuilder(URI.create(base() + "/fhir/Patient/" + patient.getIdPart()))
                .header("Origin", APP)
                .header("Authorization", "Bearer " + systemToken()));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
    assertThat(read.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
        .contains("Location")
        .contains("ETag");

    String stranger = "https://not-registered.example.net";
    HttpResponse<String> refused =
        send(
            HttpRequest.newBuilder(URI.create(base() + "/fhir/Patient/" + patient.getIdPart()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", stranger)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    HttpResponse<String> noHeader =
        send(
            HttpRequest.newBuilder(URI.create(base() + "/fhir/Patient/" + patient.getIdPart()))
                .header("Origin", stranger)
                .header("Authorization", "Bearer " + systemToken()));
    assertThat(noHeader.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    // metadata and discovery stay open to every origin
    HttpResponse<String> metadata =
        send(
            HttpRequest.newBuilder(URI.create(base() + "/fhir/metadata"))
                .header("Origin", stranger));
    assertThat(metadata.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
  }

  @Test
  void aPageOnAnotherOriginReadsAndWritesThroughARealBrowser() throws Exception {
    WireMockServer pages =
        SimulatedEhr.server(); // any other origin will do: the simulated EHR's port
    String origin = "http://127.0.0.1:" + pages.port();
    pages.stubFor(
        WireMock.get("/cors-app/index.html")
            .willReturn(
                WireMock.aResponse()
                    .withHeader("Content-Type", "text/html")
                    .withBody("<!doctype html><title>app</title><p>app</p>")));
    register("cors-browser-app", URI.create(origin + "/cors-app/index.html"));
    IdType patient = createPatient();
    WebDriver browser = Chromium.open(Chromium.DESKTOP);
    try {
      browser.get(origin + "/cors-app/index.html");
      browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
      @SuppressWarnings("unchecked")
      Map<String, Object> result =
          (Map<String, Object>)
              ((JavascriptExecutor) browser)
                  .executeAsyncScript(
                      """
          const done = arguments[arguments.length - 1];
          const base = arguments[0], token = arguments[1], patient = arguments[2];
          const auth = { Authorization: 'Bearer ' + token, Accept: 'application/fhir+json' };
          (async () => {
            const read = await fetch(base + '/fhir/Patient/' + patient, { headers: auth });
            const body = await read.json();
            const search = await fetch(base + '/fhir/Encounter?subject=Patient/' + patient, { headers: auth });
            const created = await fetch(base + '/fhir/Encounter', { method: 'POST',
              headers: Object.assign({ 'Content-Type': 'application/fhir+json' }, auth),
              body: JSON.stringify({ resourceType: 'Encounter', status: 'planned',
                class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'VR' },
                subject: { reference: 'Patient/' + patient } }) });
            done({ read: read.status, family: body.name[0].family, search: search.status,
              created: created.status, location: created.headers.get('Location') || '' });
          })().catch(e => done({ error: String(e) }));
          """,
                      base(),
                      systemToken(),
                      patient.getIdPart());
      assertThat(result).doesNotContainKey("error");
      assertThat(((Number) result.get("read")).intValue()).isEqualTo(200);
      assertThat(result.get("family")).isNotNull();
      assertThat(((Number) result.get("search")).intValue()).isEqualTo(200);
      assertThat(((Number) result.get("created")).intValue()).isEqualTo(201);
      assertThat((String) result.get("location")).contains("/Encounter/");
    } finally {
      Chromium.quit(browser);
    }
  }

  private void register(String clientId, URI redirect) {
    smartServer
        .clients()
        .register(
            new ClientRegistry.Registration(
                clientId,
                "CORS test app",
                ClientType.PUBLIC,
                null,
                null,
                List.of(redirect),
                "launch openid fhirUser user/*.cruds",
                null));
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
