package org.televisit.visits.launch;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.televisit.smart.launch.RegisteredIssuer;

/**
 * televisit.smart.*: the EHRs Televisit may be launched from. Client secrets and private keys come
 * from the environment or a secrets store, never from a committed file.
 */
@ConfigurationProperties("televisit.smart")
public record SmartClientProperties(
    List<Issuer> issuers,
    /** The callback registered at every EHR; default {televisit.public-url}/callback. */
    URI redirectUri,
    /** Televisit's private JWK for private_key_jwt (RSA for RS384 or EC P-384 for ES384). */
    String clientJwk,
    @DefaultValue("10m") Duration discoveryTtl,
    @DefaultValue("3s") Duration connectTimeout,
    @DefaultValue("10s") Duration readTimeout) {

  public SmartClientProperties {
    issuers = issuers == null ? List.of() : List.copyOf(issuers);
  }

  public record Issuer(
      URI fhirBase,
      String clientId,
      @DefaultValue("PUBLIC") RegisteredIssuer.ClientAuth clientAuth,
      String clientSecret,
      String privateJwk,
      @DefaultValue(
              "openid fhirUser user/Patient.rs user/Encounter.cruds user/Appointment.rs user/Practitioner.rs")
          String scopes,
      @DefaultValue("false") boolean encounterWriteBack,
      /* origins allowed to show the console in a frame (the EHR's), e.g. https://ehr.example.org */
      List<String> frameAncestors) {

    /**
     * An issuer using private_key_jwt without a key of its own signs with Televisit's client key.
     */
    RegisteredIssuer registered(String defaultPrivateJwk) {
      String key = privateJwk != null && !privateJwk.isBlank() ? privateJwk : defaultPrivateJwk;
      return new RegisteredIssuer(
          fhirBase, clientId, clientAuth, clientSecret, key, scopes, encounterWriteBack);
    }
  }
}
