package org.televisit.fhir.access;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.televisit.smart.server.AccessTokens;
import org.televisit.smart.server.ServerUrls;

/**
 * SMART enforcement on /fhir; needs the authorization server's AccessTokens and ServerUrls beans.
 */
@Configuration
public class FhirAccessConfig {

  /**
   * The one way to serve /fhir without token checks: this class on the class path, which only the
   * benchmarks put there (bench/baseline). No property of the jar switches them off.
   */
  public static final String WITHOUT_TOKEN_CHECKS = "org.televisit.bench.WithoutTokenChecks";

  @Bean
  @Order(-100)
  @ConditionalOnMissingClass(WITHOUT_TOKEN_CHECKS)
  public SmartAccessInterceptor smartAccessInterceptor(
      AccessTokens tokens,
      ServerUrls urls,
      ObjectProvider<SmartAccessInterceptor.AccessDenials> denials) {
    return new SmartAccessInterceptor(
        tokens,
        urls.fhirBase().toString(),
        denials.getIfAvailable(() -> (client, type, operation, reason) -> {}));
  }

  @Bean
  @Order(-90)
  @ConditionalOnMissingClass(WITHOUT_TOKEN_CHECKS)
  public PatientCompartmentRules patientCompartmentRules() {
    return new PatientCompartmentRules();
  }

  @Bean
  public OAuthUris oauthUris(ServerUrls urls) {
    return new OAuthUris(urls);
  }
}
