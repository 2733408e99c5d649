package org.televisit.visits.launch;

import java.nio.file.Path;
import java.time.Clock;
import org.springframework.beans.factory.annotation.Value;
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
  ClientKeys clientKeys(
      SmartClientProperties properties, @Value("${televisit.data-dir:./data}") String dataDir) {
    return new ClientKeys(properties.clientJwk(), Path.of(dataDir), properties.issuers());
  }

  @Bean
  IssuerRegistry issuerRegistry(SmartClientProperties properties, ClientKeys keys) {
    String defaultKey = keys.defaultKey().toJSONString();
    return new IssuerRegistry(
        properties.issuers().stream().map(i -> i.registered(defaultKey)).toList());
  }

  @Bean
  LaunchFlow launchFlow(SmartClientProperties properties, IssuerRegistry registry) {
    SmartDiscovery discovery =
        new SmartDiscovery(
            properties.discoveryTtl(),
            properties.connectTimeout(),
            properties.readTimeout(),
            Clock.systemUTC());
    return new LaunchFlow(
        registry,
        discovery,
        Clock.systemUTC(),
        properties.connectTimeout(),
        properties.readTimeout());
  }
}
