package org.televisit.smart.launch;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fetches {iss}/.well-known/smart-configuration with connect and read timeouts and keeps it per
 * issuer for a while. Only called for registered issuers: the caller checks the registry first, so
 * a launch URL can never make Televisit fetch an address of the attacker's choosing.
 */
public class SmartDiscovery {

  private final Duration ttl;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;
  private final Clock clock;
  private final Map<URI, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(SmartConfiguration configuration, Instant until) {}

  /** Discovery failed: the EHR is down, answered an error, or served something unusable. */
  public static final class DiscoveryFailed extends RuntimeException {
    public DiscoveryFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public SmartDiscovery(Duration ttl, Duration connectTimeout, Duration readTimeout, Clock clock) {
    this.ttl = ttl;
    this.connectTimeoutMillis = (int) connectTimeout.toMillis();
    this.readTimeoutMillis = (int) readTimeout.toMillis();
    this.clock = clock;
  }

  public SmartConfiguration discover(URI fhirBase) {
    Instant now = clock.instant();
    Cached cached = cache.get(fhirBase);
    if (cached != null && now.isBefore(cached.until())) {
      return cached.configuration();
    }
    SmartConfiguration fresh = fetch(fhirBase);
    cache.put(fhirBase, new Cached(fresh, now.plus(ttl)));
    return fresh;
  }

  /**
   * Forgets an issuer's configuration (e.g. after its token endpoint refused a known-good client).
   */
  public void forget(URI fhirBase) {
    cache.remove(fhirBase);
  }

  /** Every outbound call to an EHR: connect and read timeouts, and no redirect followed. */
  static HTTPRequest limited(HTTPRequest request, int connectTimeoutMillis, int readTimeoutMillis) {
    request.setConnectTimeout(connectTimeoutMillis);
    request.setReadTimeout(readTimeoutMillis);
    request.setFollowRedirects(false);
    return request;
  }

  static URI wellKnown(URI fhirBase) {
    String base = fhirBase.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + ".well-known/smart-configuration");
  }

  private SmartConfiguration fetch(URI fhirBase) {
    HTTPRequest request =
        limited(
            new HTTPRequest(HTTPRequest.Method.GET, wellKnown(fhirBase)),
            connectTimeoutMillis,
            readTimeoutMillis);
    request.setAccept("application/json");
    HTTPResponse response;
    try {
      response = request.send();
    } catch (IOException e) {
      throw new DiscoveryFailed(
          "The EHR's SMART configuration could not be fetched ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
    if (response.getStatusCode() != 200) {
      throw new DiscoveryFailed(
          "The EHR's SMART configuration answered HTTP " + response.getStatusCode(), null);
    }
    try {
      // Parsed whatever the Content-Type says: some EHRs label this document text/plain.
      String body = response.getBody();
      if (body == null || body.isBlank()) {
        throw new DiscoveryFailed("The EHR's SMART configuration is not JSON (empty)", null);
      }
      return SmartConfiguration.parse(JSONObjectUtils.parse(body));
    } catch (ParseException e) {
      throw new DiscoveryFailed("The EHR's SMART configuration is not JSON", e);
    } catch (SmartConfiguration.Unusable e) {
      throw new DiscoveryFailed("The EHR cannot launch Televisit: " + e.getMessage(), e);
    }
  }
}
