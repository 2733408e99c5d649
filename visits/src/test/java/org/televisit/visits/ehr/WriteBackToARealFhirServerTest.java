package org.televisit.visits.ehr;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.televisit.support.Browser;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.FreePort;
import org.televisit.support.OtherEhrLaunch;
import org.televisit.support.SimulatedEhr;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * Encounter write-back to a real FHIR server that is not Televisit: HAPI's plain RestfulServer with
 * in-memory providers, in a Tomcat of its own, behind the simulated EHR's base (its authorization
 * server is simulated; every FHIR call reaches the real server). Its versions, If-Match and parsing
 * are HAPI's own, not a stub's.
 */
@TelevisitIntegrationTest
class WriteBackToARealFhirServerTest extends FhirTestSupport {

  static Tomcat tomcat;
  static String realBase;
  static final FhirContext R4 = FhirContext.forR4Cached();

  @BeforeAll
  static void realServer() throws Exception {
    RestfulServer fhir = new RestfulServer(R4);
    for (Class<? extends org.hl7.fhir.instance.model.api.IBaseResource> type :
        java.util.List.of(Patient.class, Practitioner.class, Appointment.class, Encounter.class)) {
      fhir.registerProvider(new HashMapResourceProvider<>(R4, type));
    }
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("hapi-plain").toString());
    int port = FreePort.pick();
    tomcat.setPort(port);
    tomcat.getConnector();
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "fhir", fhir).setLoadOnStartup(1);
    context.addServletMappingDecoded("/hapi/fhir/*", "fhir");
    tomcat.start();
    realBase = "http://127.0.0.1:" + port + "/hapi/fhir";
    // the EHR's base forwards its FHIR API to the real server
    SimulatedEhr.server()
        .stubFor(
            any(urlPathMatching("/hapi/fhir/(Patient|Practitioner|Appointment|Encounter)(/.*)?"))
                .willReturn(aResponse().proxiedFrom("http://127.0.0.1:" + port)));
  }

  @AfterAll
  static void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @Test
  void startAndEndReachTheRealServersEncounter() throws Exception {
    IGenericClient real = R4.newRestfulGenericClient(realBase);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Patient patient = new Patient();
    patient.setId("p-" + suffix);
    patient.addName().setFamily("Realserver").addGiven("Rita");
    real.update().resource(patient).execute();
    Practitioner doctor = new Practitioner();
    doctor.setId("d-" + suffix);
    doctor.addName().setFamily("Hapi").addGiven("Hugo").addPrefix("Dr");
    real.update().resource(doctor).execute();
    Appointment appointment = new Appointment();
    appointment.setId("a-" + suffix);
    appointment.setStatus(Appointment.AppointmentStatus.BOOKED);
    appointment.setStart(Date.from(Instant.now().plusSeconds(300)));
    appointment.setEnd(Date.from(Instant.now().plusSeconds(1500)));
    appointment
        .addParticipant()
        .setActor(new Reference("Patient/p-" + suffix))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    appointment
        .addParticipant()
        .setActor(new Reference("Practitioner/d-" + suffix))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    real.update().resource(appointment).execute();
    Encounter planned = new Encounter();
    planned.setId("e-" + suffix);
    planned.setStatus(Encounter.EncounterStatus.PLANNED);
    planned.setClass_(
        new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
    planned.setSubject(new Reference("Patient/p-" + suffix));
    real.update().resource(planned).execute();

    WireMockServer ehr = SimulatedEhr.server();
    Browser clinician =
        OtherEhrLaunch.launch(
            base(),
            ehr,
            SimulatedEhr.realServerFhirBase(),
            "/hapi-auth",
            SimulatedEhr.CLIENT_ID,
            "10.41.0.1",
            new OtherEhrLaunch.Context(
                "p-" + suffix,
                "e-" + suffix,
                "a-" + suffix,
                "d-" + suffix,
                "launch openid fhirUser user/Patient.rs user/Appointment.rs user/Encounter.cruds"));
    HttpResponse<String> banner = clinician.get("/api/console/patient");
    assertThat(banner.statusCode()).as(banner.body()).isEqualTo(200);
    assertThat(banner.body()).contains("Rita Realserver");

    assertThat(postJson(clinician, "/api/console/visit/start", "{}").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Encounter theirs =
                  real.read().resource(Encounter.class).withId("e-" + suffix).execute();
              assertThat(theirs.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
              assertThat(theirs.getClass_().getCode()).isEqualTo("VR");
              assertThat(theirs.getAppointmentFirstRep().getReference())
                  .isEqualTo("Appointment/a-" + suffix);
              assertThat(theirs.getParticipantFirstRep().getIndividual().getReference())
                  .isEqualTo("Practitioner/d-" + suffix);
              assertThat(theirs.getPeriod().hasStart()).isTrue();
            });

    assertThat(postJson(clinician, "/api/console/visit/end", "{}").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              Encounter theirs =
                  real.read().resource(Encounter.class).withId("e-" + suffix).execute();
              assertThat(theirs.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
              assertThat(theirs.getPeriod().hasEnd()).isTrue();
              // one version per change on the real server: created, in progress, finished
              assertThat(theirs.getIdElement().getVersionIdPart()).isEqualTo("3");
            });
  }
}
