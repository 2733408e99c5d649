package org.televisit.visits.join;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.televisit.support.BothDatabases;
import org.televisit.visits.storage.TransactionWrites;

/** Join links' own SQL on H2 (the embedded default) and PostgreSQL: issue, find, lock, revoke. */
class JoinLinksOnBothDatabasesTest {

  static JoinLinks links(DataSource dataSource) throws Exception {
    return new JoinLinks(
        new JdbcTemplate(dataSource),
        new TransactionWrites(dataSource, new SimpleMeterRegistry()),
        new JoinProperties(Duration.ofMinutes(15), Duration.ofMinutes(30), true, 5, 30, 120));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.televisit.support.BothDatabases#both")
  void aLinkIsFoundByItsTokenAndItsWindowAndRevocationHold(
      BothDatabases.Named database, DataSource dataSource) throws Exception {
    JoinLinks links = links(dataSource);
    String appointment = "Appointment/" + UUID.randomUUID();
    Instant start =
        Instant.now().plusSeconds(600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String token =
        links.issue(
            appointment, "Patient/1", "patient", "Dr Moreau", start, start.plusSeconds(1200));
    String guest =
        links.issue(
            appointment,
            "guest/g1",
            "interpreter",
            "Ines",
            "Dr Moreau",
            start,
            start.plusSeconds(1200));

    JoinLink found = links.find(token).orElseThrow();
    assertThat(found.appointment()).isEqualTo(appointment);
    assertThat(found.clinician()).isEqualTo("Dr Moreau");
    assertThat(found.startsAt()).isEqualTo(start);
    assertThat(found.notBefore()).isEqualTo(start.minusSeconds(900));
    assertThat(found.state(Instant.now())).isEqualTo(JoinLink.State.OPEN);
    assertThat(links.byHash(found.hash())).contains(found);
    assertThat(links.find(guest).orElseThrow().display()).isEqualTo("Ines");
    assertThat(links.ofAppointment(appointment))
        .extracting(JoinLink::participant)
        .containsExactly("Patient/1", "guest/g1");
    assertThat(links.find("A".repeat(43))).isEmpty();
    assertThat(links.find("not a token")).isEmpty();

    assertThat(links.revoke(appointment, "guest/g1")).isEqualTo(1);
    assertThat(links.find(guest).orElseThrow().state(Instant.now()))
        .isEqualTo(JoinLink.State.REVOKED);
    assertThat(links.revokeAll(appointment)).isEqualTo(1);
    assertThat(links.find(token).orElseThrow().state(Instant.now()))
        .isEqualTo(JoinLink.State.REVOKED);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.televisit.support.BothDatabases#both")
  void parallelChecksClaimExactlyTheLimitAndTheLinkLocks(
      BothDatabases.Named database, DataSource dataSource) throws Exception {
    JoinLinks links = links(dataSource);
    Instant start = Instant.now().plusSeconds(600);
    String token =
        links.issue(
            "Appointment/" + UUID.randomUUID(),
            "Patient/2",
            "patient",
            null,
            start,
            start.plusSeconds(1200));
    JoinLink link = links.find(token).orElseThrow();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    List<Callable<Boolean>> claims = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      claims.add(() -> links.claimAttempt(link));
    }
    int claimed = 0;
    for (Future<Boolean> f : pool.invokeAll(claims)) {
      claimed += f.get() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(claimed).isEqualTo(5);
    assertThat(links.lockIfSpent(link)).isTrue();
    assertThat(links.lockIfSpent(link)).as("locked once").isFalse();
    assertThat(links.find(token).orElseThrow().state(Instant.now()))
        .isEqualTo(JoinLink.State.LOCKED);
    assertThat(links.claimAttempt(link)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.televisit.support.BothDatabases#both")
  void aMatchingCheckGivesItsClaimBack(BothDatabases.Named database, DataSource dataSource)
      throws Exception {
    JoinLinks links = links(dataSource);
    Instant start = Instant.now().plusSeconds(600);
    String token =
        links.issue(
            "Appointment/" + UUID.randomUUID(),
            "Patient/3",
            "patient",
            null,
            start,
            start.plusSeconds(1200));
    JoinLink link = links.find(token).orElseThrow();
    for (int i = 0; i < 10; i++) {
      assertThat(links.claimAttempt(link)).isTrue();
      links.attemptSucceeded(link);
    }
    assertThat(links.find(token).orElseThrow().failedChecks()).isZero();
  }
}
