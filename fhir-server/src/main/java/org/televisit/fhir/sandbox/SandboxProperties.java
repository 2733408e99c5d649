package org.televisit.fhir.sandbox;

import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * televisit.sandbox.*: the demo data set of the embedded default. Off in production (set
 * televisit.sandbox.enabled=false).
 */
@ConfigurationProperties("televisit.sandbox")
public record SandboxProperties(
    @DefaultValue("true") boolean enabled,
    /** Time zone of the sandbox clinic's working day; defaults to the server's. */
    ZoneId zone,
    @DefaultValue("14") int slotDays) {

  public ZoneId zoneOrDefault() {
    return zone != null ? zone : ZoneId.systemDefault();
  }
}
