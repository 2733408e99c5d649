package org.televisit.visits.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.televisit.fhir.Database;

/**
 * Rows a change adds beside itself and nobody reads back before it commits: a join link, its e-mail
 * in the outbox, the audit record. On PostgreSQL, inside a transaction, they wait until just before
 * the commit and then go to the database together, one round trip for all of them (a booking writes
 * three; each round trip wakes a backend and a JVM thread, which on a small machine is most of a
 * row's cost). They are still written in the change's transaction: rolled back, they were never
 * sent; one that fails fails the commit. Without a transaction, or on another database, each row is
 * written at once.
 */
@Component
public class TransactionWrites {

  /**
   * PgJDBC sends the statements of one prepared statement in one go; a bundle of many changes is
   * split.
   */
  static final int MAX_TOGETHER = 64;

  private record Write(String sql, Object[] args) {}

  private final DataSource dataSource;
  private final JdbcTemplate jdbc;
  private final boolean postgres;
  private final Counter withCommit;
  private final Counter atOnce;

  public TransactionWrites(DataSource dataSource, MeterRegistry meters) {
    this.dataSource = dataSource;
    this.jdbc = new JdbcTemplate(dataSource);
    this.postgres = Database.of(dataSource) == Database.POSTGRESQL;
    this.withCommit =
        Counter.builder("televisit.db.writes")
            .tag("sent", "with-commit")
            .description("Rows written together just before their transaction commits")
            .register(meters);
    this.atOnce =
        Counter.builder("televisit.db.writes")
            .tag("sent", "at-once")
            .description("Rows written on their own (no transaction, or not PostgreSQL)")
            .register(meters);
  }

  public boolean onPostgres() {
    return postgres;
  }

  /**
   * Adds a row (an INSERT, or a data-modifying statement whose result nobody needs) to the change
   * in progress.
   */
  public void add(String sql, Object... args) {
    List<Write> pending = pending();
    if (pending == null) {
      jdbc.update(sql, args);
      atOnce.increment();
      return;
    }
    pending.add(new Write(sql, args));
  }

  /**
   * This transaction's waiting rows, registered on first use; null when rows must be written at
   * once.
   */
  @SuppressWarnings("unchecked")
  private List<Write> pending() {
    // the transaction must be the one our connection joins (HAPI's JPA transaction binds this
    // DataSource)
    if (!postgres
        || !TransactionSynchronizationManager.isSynchronizationActive()
        || !TransactionSynchronizationManager.hasResource(dataSource)) {
      return null;
    }
    List<Write> pending = (List<Write>) TransactionSynchronizationManager.getResource(this);
    if (pending == null) {
      List<Write> rows = new ArrayList<>();
      TransactionSynchronizationManager.bindResource(this, rows);
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
              send(rows);
            }

            // A transaction started inside this one (REQUIRES_NEW) collects its own rows, not
            // these.
            @Override
            public void suspend() {
              TransactionSynchronizationManager.unbindResource(TransactionWrites.this);
            }

            @Override
            public void resume() {
              TransactionSynchronizationManager.bindResource(TransactionWrites.this, rows);
            }

            @Override
            public void afterCompletion(int status) {
              TransactionSynchronizationManager.unbindResourceIfPossible(TransactionWrites.this);
            }
          });
      pending = rows;
    }
    return pending;
  }

  private void send(List<Write> rows) {
    for (int from = 0; from < rows.size(); from += MAX_TOGETHER) {
      List<Write> part = rows.subList(from, Math.min(rows.size(), from + MAX_TOGETHER));
      StringBuilder sql = new StringBuilder();
      List<Object> args = new ArrayList<>();
      for (Write w : part) {
        sql.append(sql.isEmpty() ? "" : ";\n").append(w.sql());
        args.addAll(Arrays.asList(w.args()));
      }
      // the first failing statement throws, and the transaction rolls back
      jdbc.execute(
          sql.toString(),
          (PreparedStatement st) -> {
            new ArgumentPreparedStatementSetter(args.toArray()).setValues(st);
            return st.execute();
          });
      withCommit.increment(part.size());
    }
    rows.clear();
  }
}
