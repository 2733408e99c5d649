package org.televisit.smart.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.televisit.support.BothDatabases;

/**
 * The authorization server's own SQL (apps, EHR launches, grants and their refresh tokens) on both
 * databases Televisit runs on: the embedded default's H2 and PostgreSQL.
 */
class SmartStoresOnBothDatabasesTest {

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-12-02T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @ParameterizedTest
  @MethodSource("org.televisit.support.BothDatabases#both")
  void appsAreRegisteredReplacedAndFound(BothDatabases.Named db, DataSource dataSource) {
    ClientRegistry clients = new ClientRegistry(dataSource, new MovableClock());
    String id = "app-" + UUID.randomUUID();
    ClientRegistry.Registered first =
        clients.register(
            new ClientRegistry.Registration(
                id,
                "Portal",
                ClientType.CONFIDENTIAL_SYMMETRIC,
                null,
                null,
                List.of(URI.create("https://portal.example.org/cb")),
                "launch openid user/*.rs",
                URI.create("https://portal.example.org/launch")));
    assertThat(first.secret()).isPresent();
    assertThat(clients.find(id)).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("Portal"));
    assertThat(clients.origins()).contains("https://portal.example.org");
    assertThat(clients.launchable()).anySatisfy(c -> assertThat(c.clientId()).isEqualTo(id));

    // registering the same id again replaces it: one row, new URIs
    clients.register(
        new ClientRegistry.Registration(
            id,
            "Portal 2",
            ClientType.PUBLIC,
            null,
            null,
            List.of(URI.create("https://new.example.org/cb")),
            "openid",
            null));
    assertThat(clients.find(id))
        .hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("Portal 2"));
    assertThat(clients.origins())
        .contains("https://new.example.org")
        .doesNotContain("https://portal.example.org");
    assertThat(clients.find("no-such-app")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("org.televisit.support.BothDatabases#both")
  void launchesResolveUntilTheyExpire(BothDatabases.Named db, DataSource dataSource) {
    MovableClock clock = new MovableClock();
    EhrLaunches launches = new EhrLaunches(dataSource, clock, Duration.ofMinutes(5));
    GrantContext context =
        new GrantContext(
            "Practitioner/dr1",
            "Patient/p1",
            "Encounter/e1",
            List.of("Appointment/a1"),
            true,
            null);
    String launch = launches.create(context);
    assertThat(launches.resolve(launch))
        .hasValueSatisfying(
            c -> {
              assertThat(c.patient()).isEqualTo("Patient/p1");
              assertThat(c.encounter()).isEqualTo("Encounter/e1");
            });
    assertThat(launches.resolve(launch)).as("redeemable again while it lives").isPresent();
    assertThat(launches.resolve("made-up")).isEmpty();
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    assertThat(launches.resolve(launch)).isEmpty();
    assertThat(launches.purgeExpired()).isGreaterThanOrEqualTo(1);
  }

  @ParameterizedTest
  @MethodSource("org.televisit.support.BothDatabases#both")
  void refreshTokensRotateAndGrantsAreRevoked(BothDatabases.Named db, DataSource dataSource) {
    MovableClock clock = new MovableClock();
    // no remembering of active grants: every check reads the database
    Grants grants = new Grants(dataSource, clock, Duration.ZERO);
    Grant grant =
        grants.create(
            "portal",
            "openid user/*.rs offline_access",
            GrantContext.none(),
            Duration.ofHours(1),
            Duration.ofDays(1));
    assertThat(grant.refreshToken()).isNotBlank();
    assertThat(grants.isActive(grant.id())).isTrue();

    Grant rotated = grants.rotate(grant.refreshToken(), "portal").orElseThrow();
    assertThat(rotated.id()).isEqualTo(grant.id());
    assertThat(rotated.refreshToken()).isNotEqualTo(grant.refreshToken());
    assertThat(grants.rotate(grant.refreshToken(), "portal"))
        .as("the old refresh token is spent")
        .isEmpty();
    assertThat(grants.rotate(rotated.refreshToken(), "another-app"))
        .as("bound to its app")
        .isEmpty();
    assertThat(grants.byRefreshToken(rotated.refreshToken())).isPresent();

    assertThat(grants.revokeByRefreshToken(rotated.refreshToken(), "portal")).isTrue();
    assertThat(grants.isActive(grant.id())).isFalse();
    assertThat(grants.rotate(rotated.refreshToken(), "portal"))
        .as("a revoked grant is not renewed")
        .isEmpty();

    Grant other =
        grants.create(
            "portal", "openid", GrantContext.none(), Duration.ofHours(1), Duration.ofHours(2));
    clock.now = clock.now.plus(Duration.ofDays(3));
    assertThat(grants.purgeExpired()).isGreaterThanOrEqualTo(1);
    assertThat(grants.isActive(other.id())).isFalse();
  }
}
