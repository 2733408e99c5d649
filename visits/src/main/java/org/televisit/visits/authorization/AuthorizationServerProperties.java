package org.televisit.visits.authorization;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.televisit.smart.server.ServerSettings;

/** televisit.smart.server.*: Televisit's own SMART authorization server. */
@ConfigurationProperties("televisit.smart.server")
record AuthorizationServerProperties(
    /* the server's RS256 signing key as a private JWK; generated once into the data folder when absent */
    String signingJwk,
    @DefaultValue("60s") Duration codeLife,
    @DefaultValue("1h") Duration accessTokenLife,
    @DefaultValue("300s") Duration backendTokenLife,
    @DefaultValue("12h") Duration refreshLife,
    @DefaultValue("30m") Duration launchLife,
    @DefaultValue("5s") Duration grantCacheTtl,
    @DefaultValue("3s") Duration connectTimeout,
    @DefaultValue("5s") Duration readTimeout) {

  ServerSettings settings() {
    return new ServerSettings(
        codeLife,
        accessTokenLife,
        backendTokenLife,
        refreshLife,
        launchLife,
        grantCacheTtl,
        connectTimeout,
        readTimeout);
  }
}
