package org.televisit.smart.server;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.auth.Secret;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.televisit.smart.scopes.Scopes;

/**
 * The apps registered with Televisit's authorization server (table televisit.smart_client). A
 * confidential-symmetric app's secret is generated here, shown once, and stored only as a hash.
 */
public final class ClientRegistry {

  /**
   * What an operator registers. For CONFIDENTIAL_ASYMMETRIC exactly one of jwksUrl / jwks is given.
   */
  public record Registration(
      String clientId,
      String name,
      ClientType type,
      URI jwksUrl,
      String jwks,
      List<URI> redirectUris,
      String scopes,
      URI launchUrl) {}

  /**
   * The stored app, plus its secret in clear when one was generated (shown to the operator once).
   */
  public record Registered(SmartClient client, Optional<String> secret) {}

  private static final String SELECT =
      "SELECT client_id, name, client_type, secret_hash, jwks_url, jwks, redirect_uris, scopes, launch_url"
          + " FROM televisit.smart_client";

  private record Cached(Optional<SmartClient> client, Instant until) {}

  /**
   * Apps are read on every token request; a registration change reaches other app nodes within
   * this.
   */
  static final Duration CACHE_TTL = Duration.ofSeconds(30);

  private final Sql sql;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public ClientRegistry(DataSource dataSource, Clock clock) {
    this.sql = new Sql(dataSource);
    this.clock = clock;
  }

  /** Registers a new app, or replaces one with the same client id (keys rotate, URIs change). */
  public Registered register(Registration r) {
    check(r);
    String secret =
        r.type() == ClientType.CONFIDENTIAL_SYMMETRIC ? new Secret(32).getValue() : null;
    String hash = secret == null ? null : Digests.sha256(secret);
    String redirects = String.join("\n", r.redirectUris().stream().map(URI::toString).toList());
    String scopes = Scopes.parse(r.scopes()).asString();
    Object[] values = {
      r.name(),
      r.type().name(),
      hash,
      r.jwksUrl() == null ? null : r.jwksUrl().toString(),
      r.jwks(),
      redirects,
      scopes,
      r.launchUrl() == null ? null : r.launchUrl().toString(),
      r.clientId()
    };
    // update in place when known, so a failed write never leaves the app unregistered
    int updated =
        sql.update(
            "UPDATE televisit.smart_client SET name = ?, client_type = ?, secret_hash = ?,"
                + " jwks_url = ?, jwks = ?, redirect_uris = ?, scopes = ?, launch_url = ? WHERE client_id = ?",
            values);
    if (updated == 0) {
      sql.update(
          "INSERT INTO televisit.smart_client (name, client_type, secret_hash, jwks_url, jwks,"
              + " redirect_uris, scopes, launch_url, client_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          append(values, clock.instant()));
    }
    cache.remove(r.clientId());
    origins = null;
    return new Registered(find(r.clientId()).orElseThrow(), Optional.ofNullable(secret));
  }

  private static Object[] append(Object[] values, Object last) {
    Object[] out = Arrays.copyOf(values, values.length + 1);
    out[values.length] = last;
    return out;
  }

  public Optional<SmartClient> find(String clientId) {
    if (clientId == null || clientId.isBlank()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Cached cached = cache.get(clientId);
    if (cached != null && cached.until().isAfter(now)) {
      return cached.client();
    }
    Optional<SmartClient> client =
        sql.one(SELECT + " WHERE client_id = ?", ClientRegistry::read, clientId);
    if (cache.size() > 10_000) {
      cache.clear(); // unknown ids must not grow it without bound
    }
    cache.put(clientId, new Cached(client, now.plus(CACHE_TTL)));
    return client;
  }

  private volatile Cached origins;
  private volatile Set<String> originSet = Set.of();

  /**
   * The web origins of registered apps (scheme://host[:port] of every redirect and launch URI):
   * where browser apps run that may call /fhir from their pages (CORS). Cached like single apps.
   */
  public Set<String> origins() {
    Instant now = clock.instant();
    Cached cached = origins;
    if (cached != null && cached.until().isAfter(now)) {
      return originSet;
    }
    Set<String> found = new HashSet<>();
    for (SmartClient c : sql.list(SELECT, ClientRegistry::read)) {
      c.redirectUris().forEach(u -> origin(u).ifPresent(found::add));
      if (c.launchUrl() != null) {
        origin(c.launchUrl()).ifPresent(found::add);
      }
    }
    originSet = Set.copyOf(found);
    origins = new Cached(Optional.empty(), now.plus(CACHE_TTL));
    return originSet;
  }

  /**
   * The origin of an absolute http(s) URI, lower case, the default port left out (as browsers send
   * it).
   */
  public static Optional<String> origin(URI uri) {
    if (uri == null || uri.getHost() == null || uri.getScheme() == null) {
      return Optional.empty();
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return Optional.empty();
    }
    int port = uri.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("https") && port == 443)
            || (scheme.equals("http") && port == 80);
    return Optional.of(
        scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
  }

  /** Apps the sandbox EHR can launch: those registered with a launch URL. */
  public List<SmartClient> launchable() {
    return sql.list(SELECT + " WHERE launch_url IS NOT NULL ORDER BY name", ClientRegistry::read);
  }

  private static SmartClient read(ResultSet rs) throws SQLException {
    String jwksUrl = rs.getString("jwks_url");
    String launch = rs.getString("launch_url");
    return new SmartClient(
        rs.getString("client_id"),
        rs.getString("name"),
        ClientType.valueOf(rs.getString("client_type")),
        rs.getString("secret_hash"),
        jwksUrl == null ? null : URI.create(jwksUrl),
        rs.getString("jwks"),
        Arrays.stream(rs.getString("redirect_uris").split("\n"))
            .filter(s -> !s.isBlank())
            .map(URI::create)
            .toList(),
        Arrays.stream(rs.getString("scopes").split(" ")).filter(s -> !s.isBlank()).toList(),
        launch == null ? null : URI.create(launch));
  }

  private static void check(Registration r) {
    if (r.clientId() == null || !r.clientId().matches("[A-Za-z0-9._~-]{1,128}")) {
      throw new IllegalArgumentException("client id: 1-128 of A-Z a-z 0-9 . _ ~ -");
    }
    if (r.type() == null) {
      throw new IllegalArgumentException("client type is required");
    }
    for (URI uri : r.redirectUris()) {
      if (!uri.isAbsolute() || uri.getFragment() != null) {
        throw new IllegalArgumentException(
            "a redirect URI must be absolute and without fragment: " + uri);
      }
      boolean loopback = "localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost());
      if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
        throw new IllegalArgumentException(
            "a redirect URI must use https (http only on localhost): " + uri);
      }
    }
    if (r.type() == ClientType.CONFIDENTIAL_ASYMMETRIC) {
      if ((r.jwksUrl() == null) == (r.jwks() == null || r.jwks().isBlank())) {
        throw new IllegalArgumentException(
            "an asymmetric client needs exactly one of a JWKS URL or an inline JWKS");
      }
      if (r.jwks() != null && !r.jwks().isBlank()) {
        try {
          JWKSet set = JWKSet.parse(r.jwks());
          if (set.getKeys().isEmpty() || set.getKeys().stream().anyMatch(k -> k.isPrivate())) {
            throw new IllegalArgumentException(
                "the inline JWKS must hold public keys only, at least one");
          }
        } catch (ParseException e) {
          throw new IllegalArgumentException("the inline JWKS is not a JWK set: " + e.getMessage());
        }
      }
    }
    Scopes.parse(r.scopes()); // refuses malformed scopes by name
  }
}
