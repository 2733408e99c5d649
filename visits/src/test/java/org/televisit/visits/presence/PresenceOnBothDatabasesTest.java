package org.televisit.visits.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.televisit.support.BothDatabases;

/**
 * Presence's own SQL on H2 (the embedded default) and PostgreSQL: a participant goes through every
 * state of a visit, late and repeated Janus events change nothing, and "since" is the time of the
 * change. On H2 every change after the first used to fail (the stored time came back as
 * OffsetDateTime).
 */
class PresenceOnBothDatabasesTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.televisit.support.BothDatabases#both")
  void everyStateOfAVisitIsRecordedInOrder(BothDatabases.Named database, DataSource dataSource) {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    PresenceHub hub = new PresenceHub(beans.getBeanProvider(Presence.class));
    Presence presence = newPresence(dataSource, hub);
    beans.addBean("presence", presence);
    String visit = "v-" + UUID.randomUUID();
    Instant t0 =
        Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

    presence.waiting(visit, "Patient/1");
    assertThat(presence.state(visit, "Patient/1")).isEqualTo("waiting");
    assertThat(presence.record(visit, "Patient/1", "connected", Instant.now().plusSeconds(1)))
        .isTrue();
    assertThat(presence.state(visit, "Patient/1")).isEqualTo("connected");
    presence.waiting(
        visit, "Patient/1"); // a reload of the waiting room while connected changes nothing
    assertThat(presence.state(visit, "Patient/1")).isEqualTo("connected");

    assertThat(presence.record(visit, "guest/g1", "waiting", t0)).isTrue();
    assertThat(presence.record(visit, "guest/g1", "connected", t0.plusSeconds(10))).isTrue();
    assertThat(presence.record(visit, "guest/g1", "connected", t0.plusSeconds(20)))
        .as("repeated")
        .isFalse();
    assertThat(presence.record(visit, "guest/g1", "waiting", t0.plusSeconds(5)))
        .as("older than stored")
        .isFalse();
    assertThat(presence.record(visit, "guest/g1", "media-lost", t0.plusSeconds(30))).isTrue();
    assertThat(presence.record(visit, "guest/g1", "left", t0.plusSeconds(40))).isTrue();
    presence.waiting(visit, "guest/g1"); // back after leaving: waiting again
    assertThat(presence.state(visit, "guest/g1")).isEqualTo("waiting");

    assertThat(presence.snapshot(visit))
        .extracting(Presence.Entry::participant)
        .containsExactlyInAnyOrder("Patient/1", "guest/g1");
    assertThat(presence.snapshot(visit))
        .filteredOn(e -> e.participant().equals("Patient/1"))
        .singleElement()
        .satisfies(e -> assertThat(e.state()).isEqualTo("connected"));
    presence.forget(visit);
    assertThat(presence.snapshot(visit)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.televisit.support.BothDatabases#both")
  void aRepeatedStateKeepsItsFirstSince(BothDatabases.Named database, DataSource dataSource) {
    StaticListableBeanFactory beans = new StaticListableBeanFactory();
    Presence presence =
        newPresence(dataSource, new PresenceHub(beans.getBeanProvider(Presence.class)));
    beans.addBean("presence", presence);
    String visit = "v-" + UUID.randomUUID();
    Instant t0 =
        Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    presence.record(visit, "Patient/2", "connected", t0);
    presence.record(visit, "Patient/2", "connected", t0.plusSeconds(60));
    assertThat(presence.snapshot(visit))
        .singleElement()
        .satisfies(e -> assertThat(e.since()).isEqualTo(t0));
  }

  private static Presence newPresence(DataSource dataSource, PresenceHub hub) {
    return new Presence(
        new JdbcTemplate(dataSource), new DataSourceTransactionManager(dataSource), hub);
  }
}
