package org.televisit.smart.server;

import com.nimbusds.oauth2.sdk.auth.Secret;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code launch} values of EHR launches: an opaque, unguessable value that stands for the user,
 * patient, encounter and appointment the EHR launched with. Only its hash is stored; it lives for a
 * configured time and may be redeemed more than once in that time (an app may retry its authorize).
 */
public final class EhrLaunches {

  private final Sql sql;
  private final Clock clock;
  private final Duration life;

  public EhrLaunches(DataSource dataSource, Clock clock, Duration life) {
    this.sql = new Sql(dataSource);
    this.clock = clock;
    this.life = life;
  }

  public String create(GrantContext context) {
    String value = new Secret(32).getValue();
    sql.update(
        "INSERT INTO televisit.smart_launch (launch_hash, context, expires_at) VALUES (?, ?, ?)",
        Digests.sha256(value),
        context.toJson(),
        clock.instant().plus(life));
    return value;
  }

  public Optional<GrantContext> resolve(String value) {
    if (value == null || value.isBlank() || value.length() > 512) {
      return Optional.empty();
    }
    return sql.one(
        "SELECT context FROM televisit.smart_launch WHERE launch_hash = ? AND expires_at > ?",
        rs -> GrantContext.fromJson(rs.getString("context")),
        Digests.sha256(value),
        clock.instant());
  }

  /** Forgets expired launches; called from housekeeping. */
  public int purgeExpired() {
    return sql.update("DELETE FROM televisit.smart_launch WHERE expires_at <= ?", clock.instant());
  }
}
