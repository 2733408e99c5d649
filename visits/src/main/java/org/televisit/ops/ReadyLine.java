package org.televisit.ops;

import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** One line, when Televisit is ready, with the addresses a person wants to open. */
@Component
class ReadyLine {

  private static final Logger log = LoggerFactory.getLogger(ReadyLine.class);

  @EventListener
  void onReady(ApplicationReadyEvent event) {
    String base = baseUrl(event);
    Environment env = event.getApplicationContext().getEnvironment();
    long sinceJvmStart =
        System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    log.info(
        "Televisit ready in {} ms: home {}/  FHIR {}{}  health {}/actuator/health",
        sinceJvmStart,
        base,
        base,
        env.getProperty("televisit.fhir.path", "/fhir"),
        base);
  }

  static String baseUrl(ApplicationReadyEvent event) {
    String configured =
        event.getApplicationContext().getEnvironment().getProperty("televisit.public-url");
    if (configured != null && !configured.isBlank()) {
      return configured.endsWith("/")
          ? configured.substring(0, configured.length() - 1)
          : configured;
    }
    int port = 8080;
    if (event.getApplicationContext() instanceof WebServerApplicationContext web) {
      port = web.getWebServer().getPort();
    }
    return "http://localhost:" + port;
  }
}
