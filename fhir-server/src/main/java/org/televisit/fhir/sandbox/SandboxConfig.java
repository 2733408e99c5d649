package org.televisit.fhir.sandbox;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration
@EnableConfigurationProperties(SandboxProperties.class)
@ConditionalOnProperty(
    name = "televisit.sandbox.enabled",
    havingValue = "true",
    matchIfMissing = true)
public class SandboxConfig {

  @Bean
  public SandboxSeed sandboxSeed(
      IFhirSystemDao<Bundle, Meta> systemDao,
      SandboxProperties properties,
      ApplicationEventPublisher events) {
    return new SandboxSeed(systemDao, properties, events);
  }
}
