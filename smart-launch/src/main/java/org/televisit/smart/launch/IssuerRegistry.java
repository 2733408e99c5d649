package org.televisit.smart.launch;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered EHRs. A launch names its issuer; only an exact registered FHIR base (a trailing
 * slash aside) is ever contacted, so a crafted launch URL cannot make Televisit fetch anything
 * else.
 */
public final class IssuerRegistry {

  private final Map<String, RegisteredIssuer> byBase = new ConcurrentHashMap<>();

  public IssuerRegistry(List<RegisteredIssuer> issuers) {
    issuers.forEach(this::register);
  }

  /**
   * Adds (or replaces) an issuer; the sandbox EHR registers itself once the server's address is
   * known.
   */
  public void register(RegisteredIssuer issuer) {
    byBase.put(normalise(issuer.fhirBase().toString()), issuer);
  }

  public Optional<RegisteredIssuer> find(String iss) {
    if (iss == null || iss.isBlank()) {
      return Optional.empty();
    }
    return Optional.ofNullable(byBase.get(normalise(iss.trim())));
  }

  public List<RegisteredIssuer> all() {
    return byBase.values().stream()
        .sorted(Comparator.comparing(i -> i.fhirBase().toString()))
        .toList();
  }

  static String normalise(String base) {
    String s = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    URI uri = URI.create(s);
    // scheme and host are case-insensitive; the path is not
    return uri.getScheme().toLowerCase()
        + "://"
        + uri.getRawAuthority().toLowerCase()
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
