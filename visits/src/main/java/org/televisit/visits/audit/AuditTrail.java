package org.televisit.visits.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Televisit's audit trail: {@link AuditRecord}s that become FHIR AuditEvents in the store.
 *
 * <p>A record is durable before the caller goes on: one row in {@code televisit.audit_queue}. The
 * record of a change (a booking, a cancel, a visit's steps) is inserted in the change's transaction,
 * so it commits or rolls back with it ({@link #withChange}); a decision that changed nothing (a
 * sign-in, a token, a refusal, a join-link check) is committed on a connection of its own, so a
 * caller's rollback cannot take it along ({@link #later}; every such caller records outside a
 * transaction, so no thread ever holds two of the pool's connections). A writer thread (two on
 * PostgreSQL, the second only once a burst has passed) writes the rows to
 * the FHIR store in batches and deletes them in the same transaction: a booking or a token endpoint
 * answering hundreds of requests a second must not wait for a FHIR write of its AuditEvent. Rows left by
 * a node that stopped or crashed are written by the next one that runs; several nodes share the queue
 * (PostgreSQL's SKIP LOCKED).
 *
 * <p>The writer yields to requests: while records keep arriving behind a backlog (a burst of link
 * checks or token requests), it pauses five times as long as each batch took, so a burst is served
 * at the rate of its own work and the FHIR store catches up once it has passed. The queue is durable,
 * so this only delays when an event shows in the store; televisit_audit_queue_waiting shows the lag.
 */
@Component
public class AuditTrail {

  // Small: Hibernate flushes the whole session before each of HAPI's lookups, so a big batch costs O(n²).
  private static final int BATCH = 25;
  // Under a burst the writer takes one time slot in six; bounded so the trail never stalls for long.
  private static final int YIELD_FACTOR = 5;
  private static final long MAX_PAUSE_MILLIS = 500;
  // A second writer joins in once nothing has arrived for this long.
  private static final long QUIET_NANOS = 200_000_000;

  private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
  private static final FhirContext R4 = FhirContext.forR4Cached();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INSERT = "INSERT INTO televisit.audit_queue (event, queued_at) VALUES (?, ?)";

  private final DataSource dataSource;
  private final JdbcTemplate jdbc;
  private final ObjectProvider<DaoRegistry> daos;
  private final ObjectProvider<PlatformTransactionManager> transactions;
  private final Semaphore queued = new Semaphore(0);
  private volatile long lastArrival = System.nanoTime();
  private final List<Thread> writers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile boolean running = true;
  private volatile String lockClause;

  AuditTrail(DataSource dataSource, JdbcTemplate jdbc, ObjectProvider<DaoRegistry> daos,
      ObjectProvider<PlatformTransactionManager> transactions, ObjectProvider<MeterRegistry> meters) {
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.daos = daos;
    this.transactions = transactions;
    meters.ifAvailable(registry -> Gauge.builder("televisit.audit.queue.waiting",
            () -> jdbc.queryForObject("SELECT count(*) FROM televisit.audit_queue", Long.class))
        .description("AuditEvents recorded but not yet in the FHIR store").register(registry));
  }

  /** Once the application is up (events recorded before wait in the table), and rows left by an earlier run with them. */
  @EventListener(ApplicationReadyEvent.class)
  void startWriting() {
    if (!writers.isEmpty()) {
      return;
    }
    // Two writers where they can share the queue (PostgreSQL's SKIP LOCKED): a backlog left by a
    // burst drains on both cores; elsewhere (H2) one, as the second would only wait on the first's locks.
    int count = lockClause().contains("SKIP LOCKED") ? 2 : 1;
    for (int i = 1; i <= count; i++) {
      boolean first = i == 1;
      Thread writer = new Thread(() -> writeLoop(first), "audit-trail-" + i);
      writer.setDaemon(true);
      writers.add(writer);
      writer.start();
    }
  }

  /** Records an event that changed nothing (so has no transaction to join): durable when this returns. */
  public void later(AuditRecord record) {
    String json = json(record);
    // A connection of its own, outside any transaction of the caller's thread.
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(INSERT)) {
      c.setAutoCommit(true);
      st.setString(1, json);
      st.setTimestamp(2, Timestamp.from(Instant.now()));
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the audit trail could not record an event: " + e.getMessage(), e);
    }
    arrived();
  }

  /**
   * Records the event of a change in the change's own transaction (the caller's, when there is one):
   * the record commits or rolls back with what it records, and becomes an AuditEvent soon after.
   */
  public void withChange(AuditRecord record) {
    jdbc.update(INSERT, json(record), Timestamp.from(Instant.now()));
    arrived();
  }

  private static String json(AuditRecord record) {
    try {
      return JSON.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an audit record could not be written as JSON", e);
    }
  }

  private void arrived() {
    lastArrival = System.nanoTime();
    queued.release();
  }

  /** The first writer always writes (yielding under a burst); the others only help once a burst is over. */
  private void writeLoop(boolean first) {
    while (running) {
      try {
        if (!first && System.nanoTime() - lastArrival < QUIET_NANOS) {
          Thread.sleep(QUIET_NANOS / 1_000_000); // records still arriving: requests are busy
          continue;
        }
        long started = System.nanoTime();
        int written = writeBatch();
        if (written < 0) {
          Thread.sleep(1000); // the database or the FHIR store is not there yet: the rows wait
        } else if (written < BATCH) {
          queued.tryAcquire(200, TimeUnit.MILLISECONDS);
          queued.drainPermits();
        } else if (lastArrival > started) {
          // a backlog and still more arriving: requests are busy, let them have the CPU
          Thread.sleep(Math.min(MAX_PAUSE_MILLIS, (System.nanoTime() - started) * YIELD_FACTOR / 1_000_000));
        }
      } catch (InterruptedException e) {
        running = false;
      }
    }
  }

  private record Queued(long id, String json) {}

  /**
   * Writes up to one batch: the AuditEvents created and their rows deleted in one transaction, plain
   * creates (no bundle processing: nothing to match or resolve). A batch the FHIR store refused (a
   * 4xx: an event it will never accept) is written one by one and the refused events are logged and
   * deleted, so one bad event cannot hold up the trail behind it. Returns how many rows were done, or
   * -1 when nothing could be written (they stay queued).
   */
  private int writeBatch() {
    DaoRegistry registry = daos.getIfAvailable();
    PlatformTransactionManager tx = transactions.getIfAvailable();
    if (registry == null || tx == null) {
      return -1;
    }
    TransactionTemplate template = new TransactionTemplate(tx);
    try {
      Integer done = template.execute(status -> {
        List<Queued> rows = claimRows(BATCH);
        createAll(registry, rows);
        delete(rows);
        return rows.size();
      });
      return done == null ? 0 : done;
    } catch (BaseServerResponseException refused) {
      return writeOneByOne(registry, template);
    } catch (RuntimeException e) {
      log.warn("audit trail write failed (the records stay queued): {}", e.getMessage());
      return -1;
    }
  }

  private int writeOneByOne(DaoRegistry registry, TransactionTemplate template) {
    int done = 0;
    while (done < BATCH) {
      Queued[] head = new Queued[1];
      try {
        Integer n = template.execute(status -> {
          List<Queued> rows = claimRows(1);
          head[0] = rows.isEmpty() ? null : rows.get(0);
          createAll(registry, rows);
          delete(rows);
          return rows.size();
        });
        if (n == null || n == 0) {
          break;
        }
      } catch (BaseServerResponseException e) {
        // HAPI marked that transaction rollback-only: the refused row goes in one of its own
        log.error("an AuditEvent ({}) was refused by the FHIR store and dropped: {}",
            parse(head[0]).getSubtypeFirstRep().getCode(), e.getMessage());
        template.executeWithoutResult(status -> delete(List.of(head[0])));
      }
      done++;
    }
    return done;
  }

  private List<Queued> claimRows(int limit) {
    return jdbc.query("SELECT id, event FROM televisit.audit_queue ORDER BY id LIMIT " + limit + lockClause(),
        (rs, n) -> new Queued(rs.getLong(1), rs.getString(2)));
  }

  /** FOR UPDATE everywhere; SKIP LOCKED where several nodes may write at once (PostgreSQL). */
  private String lockClause() {
    if (lockClause == null) {
      lockClause = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName()).equals("PostgreSQL")
          ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE";
    }
    return lockClause;
  }

  /** A row holds an AuditRecord; rows queued before the record form (an upgrade) hold the AuditEvent itself. */
  private static AuditEvent parse(Queued row) {
    if (row.json().startsWith("{\"resourceType\"")) {
      return R4.newJsonParser().parseResource(AuditEvent.class, row.json());
    }
    try {
      return JSON.readValue(row.json(), AuditRecord.class).toAuditEvent();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an audit queue row is not an audit record: " + e.getOriginalMessage(), e);
    }
  }

  private static void createAll(DaoRegistry registry, List<Queued> rows) {
    SystemRequestDetails request = new SystemRequestDetails();
    for (Queued row : rows) {
      registry.getResourceDao(AuditEvent.class).create(parse(row), request);
    }
  }

  private void delete(List<Queued> rows) {
    if (!rows.isEmpty()) {
      jdbc.batchUpdate("DELETE FROM televisit.audit_queue WHERE id = ?", rows, rows.size(),
          (st, row) -> st.setLong(1, row.id()));
    }
  }

  /** Waits until the queue is empty: every event recorded so far is in the FHIR store (tests). */
  public boolean flush(long timeoutMillis) {
    long until = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < until) {
      Integer waiting = jdbc.queryForObject("SELECT COUNT(*) FROM televisit.audit_queue", Integer.class);
      if (waiting != null && waiting == 0) {
        return true;
      }
      queued.release();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** Stops the writer; what is still queued stays in the table for the next start (or another node). */
  @PreDestroy
  void stop() throws InterruptedException {
    running = false;
    queued.release(writers.size()); // no interrupt: it would close H2's file channel under a running write
    for (Thread writer : writers) {
      writer.join(10_000);
    }
  }
}
