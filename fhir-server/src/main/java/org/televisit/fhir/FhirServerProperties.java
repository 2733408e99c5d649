package org.televisit.fhir;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Settings of the FHIR endpoint under televisit.fhir.*. */
@ConfigurationProperties("televisit.fhir")
public record FhirServerProperties(
    @DefaultValue("/fhir") String path,
    @DefaultValue("20") int defaultPageSize,
    @DefaultValue("200") int maximumPageSize,
    @DefaultValue("true") boolean validationEnabled,
    // off: visit records are corrected by status (cancelled, entered-in-error), never removed, and
    // an
    // audit trail nobody can delete; it also lets HAPI cache id lookups (see FhirServerConfig)
    @DefaultValue("false") boolean deleteEnabled) {}
