package org.televisit.visits.authorization;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import org.springframework.web.util.UrlPathHelper;
import org.televisit.smart.server.AccessTokens;
import org.televisit.smart.server.ServerUrls;
import org.televisit.smart.server.SmartServer;

@Configuration
@EnableScheduling
@EnableConfigurationProperties(AuthorizationServerProperties.class)
class AuthorizationServerConfig {

  @Bean
  ServerUrls serverUrls(@Value("${televisit.public-url}") String publicUrl) {
    return ServerUrls.under(URI.create(publicUrl));
  }

  @Bean
  SmartServer smartServer(
      DataSource dataSource,
      AuthorizationServerProperties properties,
      ServerUrls urls,
      SecurityAudit audit,
      @Value("${televisit.data-dir:./data}") String dataDir) {
    return new SmartServer(
        dataSource,
        ServerSigningKey.load(properties.signingJwk(), Path.of(dataDir)),
        urls,
        properties.settings(),
        Clock.systemUTC(),
        audit);
  }

  /** What /fhir checks every request with (fhir-server's FhirAccessConfig picks it up). */
  @Bean
  AccessTokens accessTokens(SmartServer server) {
    return server.accessTokens();
  }

  /**
   * SMART discovery lives under /fhir, which HAPI's servlet owns: an exact mapping wins over its
   * /fhir/*.
   */
  @Bean
  ServletRegistrationBean<SmartDiscoveryServlet> smartDiscoveryServlet(SmartServer server) {
    ServletRegistrationBean<SmartDiscoveryServlet> registration =
        new ServletRegistrationBean<>(
            new SmartDiscoveryServlet(server),
            "/fhir/.well-known/smart-configuration",
            "/fhir/.well-known/openid-configuration");
    registration.setName("smart-discovery");
    return registration;
  }

  /**
   * Browser SMART apps call /fhir from their own pages: CORS for the origins of registered apps
   * (their redirect and launch URIs), bearer tokens only (no cookies), the preflight answered here
   * (HAPI does not know OPTIONS). Discovery and metadata keep the open policy of {@link
   * #smartCors()}.
   */
  @Bean
  FilterRegistrationBean<CorsFilter> fhirCors(SmartServer server) {
    CorsConfiguration cors =
        new CorsConfiguration() {
          @Override
          public String checkOrigin(String origin) {
            return origin != null
                    && server.clients().origins().contains(origin.toLowerCase(Locale.ROOT))
                ? origin
                : null;
          }
        };
    cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
    cors.setAllowedHeaders(
        List.of(
            "Authorization",
            "Content-Type",
            "Accept",
            "Prefer",
            "If-Match",
            "If-None-Match",
            "If-None-Exist",
            "If-Modified-Since",
            "X-Requested-With"));
    cors.setExposedHeaders(List.of("Location", "Content-Location", "ETag", "Last-Modified"));
    cors.setAllowCredentials(false);
    cors.setMaxAge(600L);
    // after smartCors: its open answer stands where it gives one
    return corsFilter(
        Map.of("/fhir/**", cors), List.of("/fhir/*"), Ordered.HIGHEST_PRECEDENCE + 11);
  }

  /**
   * A CORS filter run for {@code urlPatterns} alone, its configurations matched on the full path.
   */
  private static FilterRegistrationBean<CorsFilter> corsFilter(
      Map<String, CorsConfiguration> byPath, List<String> urlPatterns, int order) {
    UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
    // inside HAPI's /fhir/* servlet the default lookup path would be /metadata
    UrlPathHelper fullPath = new UrlPathHelper();
    fullPath.setAlwaysUseFullPath(true);
    source.setUrlPathHelper(fullPath);
    byPath.forEach(source::registerCorsConfiguration);
    FilterRegistrationBean<CorsFilter> registration =
        new FilterRegistrationBean<>(new CorsFilter(source));
    registration.setUrlPatterns(urlPatterns);
    registration.setOrder(order);
    return registration;
  }

  /**
   * Browser apps read discovery and metadata and call the token endpoint from other origins; no
   * cookies.
   */
  @Bean
  FilterRegistrationBean<CorsFilter> smartCors() {
    CorsConfiguration cors = new CorsConfiguration();
    cors.setAllowedOrigins(List.of("*"));
    cors.setAllowedMethods(List.of("GET", "POST", "OPTIONS"));
    cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept"));
    cors.setAllowCredentials(false);
    cors.setMaxAge(3600L);
    List<String> paths =
        List.of(
            "/fhir/.well-known/smart-configuration",
            "/fhir/.well-known/openid-configuration",
            "/fhir/metadata",
            "/oauth/token",
            "/oauth/jwks",
            "/smart-style.json");
    Map<String, CorsConfiguration> byPath = new LinkedHashMap<>();
    paths.forEach(path -> byPath.put(path, cors));
    // the filter runs for these alone, not for every page and FHIR call
    return corsFilter(byPath, paths, Ordered.HIGHEST_PRECEDENCE + 10);
  }
}
