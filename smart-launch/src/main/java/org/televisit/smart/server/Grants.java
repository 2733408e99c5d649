package org.televisit.smart.server;

import com.nimbusds.oauth2.sdk.auth.Secret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * Grants in televisit.smart_grant. Refresh tokens are stored as hashes, bound to their client and
 * rotated on every use (the old one stops working). Whether a grant is still active is asked on
 * every /fhir request, so the answer is kept for a short time; a revocation on this node is seen at
 * once, on other nodes within {@code activeCacheTtl}.
 */
public final class Grants {

  private record Known(boolean active, Instant until) {}

  private final Sql sql;
  private final Clock clock;
  private final Duration activeCacheTtl;
  private final Map<String, Known> known = new ConcurrentHashMap<>();

  public Grants(DataSource dataSource, Clock clock, Duration activeCacheTtl) {
    this.sql = new Sql(dataSource);
    this.clock = clock;
    this.activeCacheTtl = activeCacheTtl;
  }

  /** A new grant; with {@code refreshLife} a refresh token is issued too. */
  public Grant create(
      String clientId,
      String scope,
      GrantContext context,
      Duration accessLife,
      Duration refreshLife) {
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    String refresh = refreshLife == null ? null : new Secret(32).getValue();
    Instant refreshExpires = refreshLife == null ? null : now.plus(refreshLife);
    Instant expires =
        refreshExpires != null && refreshExpires.isAfter(now.plus(accessLife))
            ? refreshExpires
            : now.plus(accessLife);
    sql.update(
        "INSERT INTO televisit.smart_grant (grant_id, client_id, scope, context, refresh_hash,"
            + " refresh_expires_at, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        clientId,
        scope,
        context.toJson(),
        refresh == null ? null : Digests.sha256(refresh),
        refreshExpires,
        now,
        expires);
    return new Grant(id, clientId, scope, context, refresh, expires);
  }

  /**
   * Swaps a refresh token for a new one in one statement, so of two concurrent uses one wins. Empty
   * when the token is unknown, expired, revoked, already rotated, or belongs to another client.
   */
  public Optional<Grant> rotate(String refreshToken, String clientId) {
    if (refreshToken == null || refreshToken.isBlank()) {
      return Optional.empty();
    }
    String fresh = new Secret(32).getValue();
    int changed =
        sql.update(
            "UPDATE televisit.smart_grant SET refresh_hash = ? WHERE refresh_hash = ?"
                + " AND client_id = ? AND revoked_at IS NULL AND refresh_expires_at > ?",
            Digests.sha256(fresh),
            Digests.sha256(refreshToken),
            clientId,
            clock.instant());
    if (changed != 1) {
      return Optional.empty();
    }
    return sql.one(
        "SELECT grant_id, client_id, scope, context, expires_at FROM televisit.smart_grant WHERE refresh_hash = ?",
        rs ->
            new Grant(
                rs.getString("grant_id"),
                rs.getString("client_id"),
                rs.getString("scope"),
                GrantContext.fromJson(rs.getString("context")),
                fresh,
                Sql.instant(rs, "expires_at")),
        Digests.sha256(fresh));
  }

  /** The active grant a refresh token belongs to, without rotating it (introspection). */
  public Optional<Grant> byRefreshToken(String refreshToken) {
    if (refreshToken == null || refreshToken.isBlank()) {
      return Optional.empty();
    }
    return sql.one(
        "SELECT grant_id, client_id, scope, context, refresh_expires_at FROM televisit.smart_grant"
            + " WHERE refresh_hash = ? AND revoked_at IS NULL AND refresh_expires_at > ?",
        rs ->
            new Grant(
                rs.getString("grant_id"),
                rs.getString("client_id"),
                rs.getString("scope"),
                GrantContext.fromJson(rs.getString("context")),
                null,
                Sql.instant(rs, "refresh_expires_at")),
        Digests.sha256(refreshToken),
        clock.instant());
  }

  public void revoke(String grantId) {
    sql.update(
        "UPDATE televisit.smart_grant SET revoked_at = ? WHERE grant_id = ? AND revoked_at IS NULL",
        clock.instant(),
        grantId);
    known.put(grantId, new Known(false, Instant.MAX));
  }

  /**
   * Revokes the grant of a refresh token, only when it belongs to {@code clientId} (RFC 7009 §2.1).
   */
  public boolean revokeByRefreshToken(String refreshToken, String clientId) {
    Optional<Grant> grant = byRefreshToken(refreshToken).filter(g -> g.clientId().equals(clientId));
    grant.ifPresent(g -> revoke(g.id()));
    return grant.isPresent();
  }

  public boolean isActive(String grantId) {
    Instant now = clock.instant();
    Known k = known.get(grantId);
    if (k != null && k.until().isAfter(now)) {
      return k.active();
    }
    boolean active =
        sql.one(
                "SELECT revoked_at FROM televisit.smart_grant WHERE grant_id = ?",
                rs -> rs.getTimestamp("revoked_at") == null,
                grantId)
            .orElse(false);
    if (known.size() > 100_000) {
      known.clear(); // bounded: a busy node re-reads, it never grows without limit
    }
    known.put(grantId, new Known(active, active ? now.plus(activeCacheTtl) : Instant.MAX));
    return active;
  }

  /** Forgets grants whose tokens have all expired; called from housekeeping. */
  public int purgeExpired() {
    return sql.update(
        "DELETE FROM televisit.smart_grant WHERE expires_at <= ?",
        clock.instant().minus(Duration.ofDays(1)));
  }
}
