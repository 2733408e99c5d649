package org.televisit.visits.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.IdType;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * Rows written with their transaction's commit, on PostgreSQL under HAPI's own transaction manager:
 * held until the commit, all sent, none on a rollback, a failing one fails the whole change;
 * without a transaction, written at once. A booking's link, e-mail and audit record go together.
 */
@TelevisitIntegrationTest
class TransactionWritesTest extends FhirTestSupport {

  private static final String STEP =
      "INSERT INTO televisit.upgrade_step (name, done_at) VALUES (?, ?)";

  @Autowired TransactionWrites writes;
  @Autowired JdbcTemplate jdbc;
  @Autowired DataSource dataSource;
  @Autowired PlatformTransactionManager transactions;
  @Autowired MeterRegistry meters;

  private final String prefix = "tw-" + UUID.randomUUID().toString().substring(0, 8) + "-";

  private List<String> steps() {
    return jdbc.queryForList(
        "SELECT name FROM televisit.upgrade_step WHERE name LIKE ? ORDER BY name",
        String.class,
        prefix + "%");
  }

  private double sent(String how) {
    return meters.get("televisit.db.writes").tag("sent", how).counter().count();
  }

  private static Timestamp now() {
    return Timestamp.from(Instant.now());
  }

  @Test
  void rowsWaitForTheCommitAndThenAllArrive() {
    double before = sent("with-commit");
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              writes.add(STEP, prefix + "a", now());
              writes.add(STEP, prefix + "b", now());
              assertThat(steps())
                  .as("not sent before the commit, not even to the transaction's own connection")
                  .isEmpty();
            });
    assertThat(steps()).containsExactly(prefix + "a", prefix + "b");
    assertThat(sent("with-commit") - before).isEqualTo(2);
  }

  @Test
  void aRolledBackChangeSendsNothing() {
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              writes.add(STEP, prefix + "a", now());
              status.setRollbackOnly();
            });
    new TransactionTemplate(transactions)
        .executeWithoutResult(status -> {}); // a later transaction finds nothing left over
    assertThat(steps()).isEmpty();
  }

  @Test
  void aTransactionStartedInsideAnotherSendsItsOwnRowsWithItsOwnCommit() {
    TransactionTemplate inner = new TransactionTemplate(transactions);
    inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              writes.add(STEP, prefix + "outer", now());
              inner.executeWithoutResult(s -> writes.add(STEP, prefix + "inner", now()));
              assertThat(steps())
                  .as("the inner commit sent only its own row")
                  .containsExactly(prefix + "inner");
              status.setRollbackOnly();
            });
    assertThat(steps()).containsExactly(prefix + "inner");
  }

  @Test
  void aRowThatFailsFailsTheWholeChange() {
    assertThatThrownBy(
            () ->
                new TransactionTemplate(transactions)
                    .executeWithoutResult(
                        status -> {
                          jdbc.update(STEP, prefix + "written-at-once", now());
                          writes.add(STEP, prefix + "twice", now());
                          writes.add(STEP, prefix + "twice", now());
                        }))
        .isInstanceOf(DuplicateKeyException.class);
    assertThat(steps()).isEmpty();
  }

  @Test
  void withoutATransactionARowIsWrittenAtOnce() {
    double before = sent("at-once");
    writes.add(STEP, prefix + "alone", now());
    assertThat(steps()).containsExactly(prefix + "alone");
    assertThat(sent("at-once") - before).isEqualTo(1);
  }

  @Test
  void aLargeChangeIsSentInParts() {
    int rows = TransactionWrites.MAX_TOGETHER * 2 + 3;
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              for (int i = 0; i < rows; i++) {
                writes.add(STEP, prefix + String.format("%04d", i), now());
              }
            });
    assertThat(steps()).hasSize(rows).first().isEqualTo(prefix + "0000");
  }

  @Test
  void aBookingSendsItsLinkItsEmailAndItsAuditRecordWithItsCommit() {
    IdType patient = createPatient("Together", "Tess", "1970-01-02", "tess@example.org");
    double before = sent("with-commit");
    IdType appointment =
        (IdType)
            fhir()
                .create()
                .resource(
                    bookedVisit(
                        patient,
                        createPractitioner(),
                        Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MINUTES)))
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    String ref = appointment.getValue();
    assertThat(sent("with-commit") - before).isEqualTo(3);
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM televisit.join_link WHERE appointment = ?",
                Integer.class,
                ref))
        .isEqualTo(1);
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM televisit.outbox WHERE appointment = ?", Integer.class, ref))
        .isEqualTo(1);
    assertThat(auditSubtypesAbout(ref)).contains("book", "link-issued");
  }
}
