package org.televisit.fhir.access;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.televisit.smart.server.AccessTokens;
import org.televisit.smart.server.ServerUrls;

/** SMART enforcement on /fhir; needs the authorization server's AccessTokens and ServerUrls beans. */
@Configuration
public class FhirAccessConfig {

  @Bean
  @Order(-100)
  @ConditionalOnProperty(name = "televisit.fhir.require-token", havingValue = "true", matchIfMissing = true)
  public SmartAccessInterceptor smartAccessInterceptor(AccessTokens tokens, ServerUrls urls,
      ObjectProvider<SmartAccessInterceptor.AccessDenials> denials) {
    return new SmartAccessInterceptor(tokens, urls.fhirBase().toString(),
        denials.getIfAvailable(() -> (client, type, operation, reason) -> {}));
  }

  @Bean
  @Order(-90)
  @ConditionalOnProperty(name = "televisit.fhir.require-token", havingValue = "true", matchIfMissing = true)
  public PatientCompartmentRules patientCompartmentRules() {
    return new PatientCompartmentRules();
  }

  @Bean
  public OAuthUris oauthUris(ServerUrls urls) {
    return new OAuthUris(urls);
  }
}
