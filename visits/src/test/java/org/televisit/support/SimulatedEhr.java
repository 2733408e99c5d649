package org.televisit.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An external EHR for the shared test context: a WireMock server started once per JVM and
 * registered as a SMART issuer (public client "televisit-it"). Tests stub its endpoints.
 */
public class SimulatedEhr implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  public static final String CLIENT_ID = "televisit-it";

  /** The EHR's own web origin, allowed to show the console in its frame. */
  public static final String FRAMING_ORIGIN = "https://ehr.example.org";

  private static WireMockServer server;

  public static synchronized WireMockServer server() {
    if (server == null) {
      server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
      server.start();
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    }
    return server;
  }

  public static String fhirBase() {
    return server().baseUrl() + "/fhir";
  }

  /** A third EHR for the launch-context tests (Televisit caches each EHR's discovery and keys). */
  public static String launchContextsFhirBase() {
    return server().baseUrl() + "/lc/fhir";
  }

  /** An EHR whose FHIR base names a tenant, as Oracle Health's do. */
  public static String tenantFhirBase() {
    return server().baseUrl() + "/lc/r4/tenant-7";
  }

  /**
   * A second EHR on the same server, registered with Encounter write-back (its own discovery cache
   * entry).
   */
  public static String writeBackFhirBase() {
    return server().baseUrl() + "/wb/fhir";
  }

  /**
   * An EHR whose FHIR API is a real FHIR server (HAPI's plain RestfulServer, started by the test
   * that uses it, its FHIR paths proxied through here); only its authorization server is simulated.
   */
  public static String realServerFhirBase() {
    return server().baseUrl() + "/hapi/fhir";
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    TestPropertyValues.of(
            "televisit.smart.issuers[0].fhir-base=" + fhirBase(),
            "televisit.smart.issuers[0].client-id=" + CLIENT_ID,
            "televisit.smart.issuers[0].client-auth=PUBLIC",
            "televisit.smart.issuers[0].scopes=openid fhirUser user/Patient.rs user/Encounter.cruds",
            "televisit.smart.issuers[0].frame-ancestors[0]=" + FRAMING_ORIGIN,
            "televisit.smart.issuers[1].fhir-base=" + writeBackFhirBase(),
            "televisit.smart.issuers[1].client-id=" + CLIENT_ID,
            "televisit.smart.issuers[1].client-auth=PUBLIC",
            "televisit.smart.issuers[1].scopes=openid fhirUser user/Patient.rs user/Appointment.rs user/Encounter.cruds",
            "televisit.smart.issuers[1].encounter-write-back=true",
            "televisit.smart.issuers[2].fhir-base=" + launchContextsFhirBase(),
            "televisit.smart.issuers[2].client-id=" + CLIENT_ID,
            "televisit.smart.issuers[2].client-auth=PUBLIC",
            "televisit.smart.issuers[2].scopes=openid fhirUser user/Patient.rs user/Encounter.cruds",
            "televisit.smart.issuers[3].fhir-base=" + tenantFhirBase(),
            "televisit.smart.issuers[3].client-id=" + CLIENT_ID,
            "televisit.smart.issuers[3].client-auth=PUBLIC",
            "televisit.smart.issuers[3].scopes=openid fhirUser user/Patient.rs user/Encounter.cruds",
            "televisit.smart.issuers[4].fhir-base=" + realServerFhirBase(),
            "televisit.smart.issuers[4].client-id=" + CLIENT_ID,
            "televisit.smart.issuers[4].client-auth=PUBLIC",
            "televisit.smart.issuers[4].scopes=openid fhirUser user/Patient.rs user/Appointment.rs user/Encounter.cruds",
            "televisit.smart.issuers[4].encounter-write-back=true")
        .applyTo(context.getEnvironment());
  }
}
