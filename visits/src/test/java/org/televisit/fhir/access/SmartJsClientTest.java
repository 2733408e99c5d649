package org.televisit.fhir.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.hl7.fhir.r4.model.Appointment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.televisit.smart.server.ClientRegistry;
import org.televisit.smart.server.ClientType;
import org.televisit.support.BrowserScripts;
import org.televisit.support.Chromium;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.SimulatedEhr;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * A browser SMART app built on the SMART JS client (npm fhirclient), served from another origin,
 * against Televisit's authorization server and /fhir: an EHR launch from the sandbox's chart and a
 * standalone launch, each ending in reads of the launch's patient (and encounter and user) through
 * CORS, the token fetched by the page itself.
 */
@TelevisitIntegrationTest
class SmartJsClientTest extends FhirTestSupport {

  static final String CLIENT_ID = "fhirclient-app";
  static final ObjectMapper JSON = new ObjectMapper();
  String app;
  WebDriver browser;

  @BeforeEach
  void servePages() {
    WireMockServer pages =
        SimulatedEhr.server(); // another origin than Televisit's: the simulated EHR's port
    app = "http://127.0.0.1:" + pages.port() + "/fhirclient-app";
    pages.stubFor(
        WireMock.get("/fhirclient-app/fhir-client.js")
            .willReturn(
                WireMock.aResponse()
                    .withHeader("Content-Type", "application/javascript")
                    .withBody(BrowserScripts.fhirClient())));
    page(
        pages,
        "launch.html",
        "FHIR.oauth2.authorize({ clientId: '"
            + CLIENT_ID
            + "',"
            + " scope: 'launch openid fhirUser user/*.rs', redirectUri: 'index.html' });");
    page(
        pages,
        "standalone.html",
        "FHIR.oauth2.authorize({ iss: new URLSearchParams(location.search).get('fhir'),"
            + " clientId: '"
            + CLIENT_ID
            + "', scope: 'launch/patient openid fhirUser patient/*.rs', redirectUri: 'index.html' });");
    page(
        pages,
        "index.html",
        """
        FHIR.oauth2.ready().then(async client => {
          const patient = await client.patient.read();
          const result = { patient: patient.id, family: patient.name[0].family, encounter: null, user: null };
          if (client.encounter.id) result.encounter = (await client.encounter.read()).id;
          if (client.getState('tokenResponse.scope').includes('user/')) {
            const user = await client.user.read();
            result.user = user.resourceType + '/' + user.id;
          }
          document.body.dataset.result = JSON.stringify(result);
        }).catch(e => { document.body.dataset.result = JSON.stringify({ error: String(e) }); });
        """);
    smartServer
        .clients()
        .register(
            new ClientRegistry.Registration(
                CLIENT_ID,
                "SMART JS client app",
                ClientType.PUBLIC,
                null,
                null,
                List.of(URI.create(app + "/index.html")),
                "launch launch/patient openid fhirUser user/*.rs patient/*.rs",
                URI.create(app + "/launch.html")));
  }

  static void page(WireMockServer pages, String name, String script) {
    pages.stubFor(
        WireMock.get(WireMock.urlPathEqualTo("/fhirclient-app/" + name))
            .willReturn(
                WireMock.aResponse()
                    .withHeader("Content-Type", "text/html")
                    .withBody(
                        "<!doctype html><html lang=\"en\"><title>SMART app</title>"
                            + "<body><p>SMART app</p><script src=\"fhir-client.js\"></script><script>"
                            + script
                            + "</script></body></html>")));
  }

  @AfterEach
  void quit() {
    Chromium.quit(browser);
  }

  @Test
  void anEhrLaunchFromTheChartReadsThePatientTheEncounterAndTheUser() throws Exception {
    browser = Chromium.open(Chromium.DESKTOP);
    browser.get(base() + "/sandbox");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.until(
        d -> !d.findElements(By.cssSelector("#appointment option[data-practitioner]")).isEmpty());
    WebElement visit =
        browser.findElements(By.cssSelector("#appointment option[data-practitioner]")).get(0);
    String appointment = visit.getDomAttribute("value");
    String practitioner = visit.getDomAttribute("data-practitioner");
    new Select(browser.findElement(By.id("appointment"))).selectByValue(appointment);
    new Select(browser.findElement(By.id("app"))).selectByValue(CLIENT_ID);
    browser.findElement(By.id("launch")).click();

    JsonNode result = resultOf(browser);
    Appointment booked = fhir().read().resource(Appointment.class).withUrl(appointment).execute();
    String patient =
        booked.getParticipant().stream()
            .map(p -> p.getActor().getReference())
            .filter(r -> r.startsWith("Patient/"))
            .findFirst()
            .orElseThrow();
    assertThat(result.path("patient").asText()).isEqualTo(patient.substring("Patient/".length()));
    assertThat(result.path("family").asText()).isNotBlank();
    assertThat(result.path("encounter").asText())
        .as("the launch's Encounter, read through CORS")
        .isNotBlank();
    assertThat(result.path("user").asText()).isEqualTo(practitioner);
  }

  @Test
  void aStandaloneLaunchSignsInAndReadsThePatientPicked() throws Exception {
    browser = Chromium.open(Chromium.DESKTOP);
    browser.get(
        app
            + "/standalone.html?fhir="
            + URLEncoder.encode(base() + "/fhir", StandardCharsets.UTF_8));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    wait.until(d -> !d.findElements(By.id("sign-in")).isEmpty());
    Select patients = new Select(browser.findElement(By.id("patient")));
    String picked = patients.getOptions().get(1).getDomAttribute("value");
    patients.selectByValue(picked);
    browser.findElement(By.id("sign-in")).click();

    JsonNode result = resultOf(browser);
    assertThat(result.path("patient").asText()).isEqualTo(picked.substring("Patient/".length()));
    assertThat(result.path("family").asText()).isNotBlank();
  }

  /** What the app's page found, once it has (an error is a failure). */
  static JsonNode resultOf(WebDriver browser) throws Exception {
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .until(
            d ->
                d.getCurrentUrl().contains("/fhirclient-app/index.html")
                    && d.findElement(By.tagName("body")).getDomAttribute("data-result") != null);
    JsonNode result =
        JSON.readTree(browser.findElement(By.tagName("body")).getDomAttribute("data-result"));
    assertThat(result.has("error")).as(result.toString()).isFalse();
    return result;
  }
}
