package org.televisit.visits.launch;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.televisit.smart.launch.IssuerRegistry;
import org.televisit.smart.launch.LaunchFlow;
import org.televisit.smart.launch.SmartDiscovery;

@Configuration
@EnableConfigurationProperties(SmartClientProperties.class)
class LaunchConfig {

  @Bean
  LaunchFlow launchFlow(SmartClientProperties properties) {
    IssuerRegistry registry = new IssuerRegistry(
        properties.issuersOrEmpty().stream().map(SmartClientProperties.Issuer::registered).toList());
    SmartDiscovery discovery = new SmartDiscovery(
        properties.discoveryTtl(), properties.connectTimeout(), properties.readTimeout(), Clock.systemUTC());
    return new LaunchFlow(registry, discovery, Clock.systemUTC(), properties.connectTimeout(), properties.readTimeout());
  }
}
