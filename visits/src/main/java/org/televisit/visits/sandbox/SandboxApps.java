package org.televisit.visits.sandbox;

import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.televisit.smart.launch.IssuerRegistry;
import org.televisit.smart.launch.RegisteredIssuer;
import org.televisit.smart.server.ClientRegistry;
import org.televisit.smart.server.ClientType;
import org.televisit.smart.server.SmartServer;
import org.televisit.visits.launch.ClientKeys;

/**
 * In the sandbox, Televisit is both the EHR and the app: it registers itself with its own
 * authorization server (private_key_jwt with its client key, exact redirect URI, launch URL) and
 * adds its own FHIR base to the EHRs it may be launched from.
 */
@Component
@ConditionalOnProperty(
    name = "televisit.sandbox.enabled",
    havingValue = "true",
    matchIfMissing = true)
class SandboxApps {

  static final String CLIENT_ID = "televisit";

  /** What Televisit may be granted by the sandbox EHR. */
  static final String REGISTERED_SCOPES =
      "launch launch/patient openid fhirUser online_access offline_access"
          + " user/*.cruds patient/*.cruds";

  /** What Televisit asks its EHRs for (LaunchFlow adds launch or launch/patient). */
  static final String REQUESTED_SCOPES =
      "openid fhirUser online_access user/Patient.rs user/Practitioner.rs"
          + " user/PractitionerRole.rs user/Appointment.rus user/Encounter.cru user/Slot.rs user/Schedule.rs";

  private static final Logger log = LoggerFactory.getLogger(SandboxApps.class);

  private final SmartServer server;
  private final IssuerRegistry issuers;
  private final ClientKeys keys;

  SandboxApps(SmartServer server, IssuerRegistry issuers, ClientKeys keys) {
    this.server = server;
    this.issuers = issuers;
    this.keys = keys;
  }

  @EventListener(ApplicationStartedEvent.class)
  void registerTelevisit() {
    String base = server.urls().fhirBase().toString().replaceAll("/fhir$", "");
    server
        .clients()
        .register(
            new ClientRegistry.Registration(
                CLIENT_ID,
                "Televisit",
                ClientType.CONFIDENTIAL_ASYMMETRIC,
                null,
                keys.publicKeys().toString(true),
                List.of(URI.create(base + "/callback")),
                REGISTERED_SCOPES,
                URI.create(base + "/launch")));
    issuers.register(
        new RegisteredIssuer(
            server.urls().fhirBase(),
            CLIENT_ID,
            RegisteredIssuer.ClientAuth.PRIVATE_KEY_JWT,
            null,
            keys.defaultKey().toJSONString(),
            REQUESTED_SCOPES,
            false));
    log.info(
        "Sandbox EHR: Televisit registered as app '{}' with its own authorization server",
        CLIENT_ID);
  }
}
