package org.televisit.visits.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.televisit.support.BothDatabases;
import org.televisit.visits.storage.TransactionWrites;

/**
 * The outbox's own SQL on H2 (the embedded default) and PostgreSQL: a message is claimed once,
 * opened, backed off, sent (payload wiped) or given up (reason kept).
 */
class OutboxOnBothDatabasesTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.televisit.support.BothDatabases#both")
  void aMessageIsClaimedOnceAndEndsSentOrGivenUp(
      BothDatabases.Named database, DataSource dataSource) throws Exception {
    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
    Outbox outbox =
        new Outbox(
            jdbc,
            new TransactionWrites(dataSource, new SimpleMeterRegistry()),
            new OutboxKey("", Files.createTempDirectory("outbox-key").toString()));
    String channel = "test-" + UUID.randomUUID().toString().substring(0, 8);
    String first = outbox.enqueue(channel, "Appointment/1", "Patient/1", "{\"link\":\"secret-1\"}");
    String second =
        outbox.enqueue(channel, "Appointment/2", "Patient/2", "{\"link\":\"secret-2\"}");
    assertThat(
            jdbc.queryForObject(
                "SELECT payload FROM televisit.outbox WHERE id = ?", String.class, first))
        .as("sealed at rest")
        .doesNotContain("secret-1");

    List<Outbox.Message> claimed = outbox.claimDue(Set.of(channel), 10, Duration.ofMinutes(1));
    assertThat(claimed).extracting(Outbox.Message::id).containsExactlyInAnyOrder(first, second);
    assertThat(claimed).extracting(Outbox.Message::payload).contains("{\"link\":\"secret-1\"}");
    assertThat(outbox.claimDue(Set.of(channel), 10, Duration.ofMinutes(1)))
        .as("claimed once")
        .isEmpty();

    Outbox.Message one =
        claimed.stream().filter(m -> m.id().equals(first)).findFirst().orElseThrow();
    Outbox.Message two =
        claimed.stream().filter(m -> m.id().equals(second)).findFirst().orElseThrow();
    outbox.sent(one);
    outbox.failed(two, "SMTP down", Duration.ofSeconds(30));
    assertThat(
            jdbc.queryForObject(
                "SELECT payload FROM televisit.outbox WHERE id = ?", String.class, first))
        .as("wiped")
        .isNull();
    assertThat(
            jdbc.queryForObject(
                "SELECT attempts FROM televisit.outbox WHERE id = ?", Integer.class, second))
        .isEqualTo(1);
    assertThat(outbox.claimDue(Set.of(channel), 10, Duration.ofMinutes(1)))
        .as("backed off")
        .isEmpty();
    outbox.gaveUp(two, "no address on file");
    assertThat(
            jdbc.queryForObject(
                "SELECT last_error FROM televisit.outbox WHERE id = ?", String.class, second))
        .isEqualTo("no address on file");
    assertThat(
            jdbc.queryForObject(
                "SELECT payload FROM televisit.outbox WHERE id = ?", String.class, second))
        .isNull();
  }
}
