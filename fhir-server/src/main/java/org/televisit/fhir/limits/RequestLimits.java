package org.televisit.fhir.limits;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * televisit.fhir.limits.*: what one request to /fhir may hold before anything parses it. A visit's
 * resources are a few KB; a transaction of a day's bookings a few hundred KB.
 */
@ConfigurationProperties("televisit.fhir.limits")
public record RequestLimits(
    @DefaultValue("1MB") DataSize maxBody,
    // JSON/XML nesting: a visit's deepest resource nests ~15 levels (a Bundle entry's extension's
    // coding)
    @DefaultValue("64") int maxDepth,
    // values (JSON) or elements and attributes (XML) in one body
    @DefaultValue("20000") int maxElements,
    // time one write's base validation may take (a visit's resources take milliseconds)
    @DefaultValue("10s") Duration validationBudget) {}
