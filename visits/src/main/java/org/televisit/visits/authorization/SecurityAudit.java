package org.televisit.visits.authorization;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.televisit.fhir.access.SmartAccessInterceptor;
import org.televisit.smart.server.SecurityEvent;

/**
 * The audit trail of SMART security decisions (sign-ins, tokens issued and refused, revocations,
 * introspections, and every refusal on /fhir) and of join-link checks, as FHIR AuditEvents in IHE
 * BALP style: who (the app's client id), what happened, outcome, observed by Televisit. Events carry
 * ids only, never tokens or PHI.
 *
 * <p>An event is durable before the caller goes on: one row in {@code televisit.audit_queue},
 * committed on a connection of its own (so a caller's rollback cannot take it along; every caller
 * records outside a transaction, so no thread ever holds two of the pool's connections). One thread
 * writes the rows to the FHIR store in batches and deletes them in the same transaction (a token
 * endpoint answering hundreds of requests a second must not wait for a FHIR write each). Rows left by
 * a node that stopped or crashed are written by the next one that runs; several nodes share the queue
 * (PostgreSQL's SKIP LOCKED).
 */
@Component
public class SecurityAudit implements SecurityEvent.Sink, SmartAccessInterceptor.AccessDenials {

  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String SUBTYPES = "urn:televisit:audit";
  static final String CLIENTS = "urn:televisit:smart:client";
  // Small: Hibernate flushes the whole session before each of HAPI's lookups, so a big batch costs O(n²).
  private static final int BATCH = 25;

  private static final Logger log = LoggerFactory.getLogger(SecurityAudit.class);
  private static final FhirContext R4 = FhirContext.forR4Cached();

  private final DataSource dataSource;
  private final JdbcTemplate jdbc;
  private final ObjectProvider<DaoRegistry> daos;
  private final ObjectProvider<PlatformTransactionManager> transactions;
  private final Semaphore queued = new Semaphore(0);
  private final Thread writer;
  private volatile boolean running = true;
  private volatile String lockClause;

  SecurityAudit(DataSource dataSource, JdbcTemplate jdbc, ObjectProvider<DaoRegistry> daos,
      ObjectProvider<PlatformTransactionManager> transactions) {
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.daos = daos;
    this.transactions = transactions;
    this.writer = new Thread(this::writeLoop, "security-audit");
    writer.setDaemon(true);
  }

  /** Once the application is up (events recorded before wait in the table), and rows left by an earlier run with them. */
  @EventListener(ApplicationReadyEvent.class)
  void startWriting() {
    if (writer.getState() == Thread.State.NEW) {
      writer.start();
    }
  }

  @Override
  public void record(SecurityEvent event) {
    enqueue(event("110114", "User Authentication", event.kind().name().toLowerCase(),
        event.clientId(), event.success(), event.detail()));
  }

  @Override
  public void denied(String clientId, String resourceType, String operation, String reason) {
    enqueue(event("110113", "Security Alert", "fhir-access-denied", clientId, false,
        operation + (resourceType != null ? " " + resourceType : "") + ": " + reason));
  }

  private static AuditEvent event(String type, String typeDisplay, String subtype, String clientId, boolean success, String detail) {
    AuditEvent e = new AuditEvent();
    e.setType(new Coding(DCM, type, typeDisplay));
    e.addSubtype(new Coding(SUBTYPES, subtype, null));
    e.setAction(AuditEvent.AuditEventAction.E);
    e.setRecorded(new Date());
    e.setOutcome(success ? AuditEvent.AuditEventOutcome._0 : AuditEvent.AuditEventOutcome._4);
    e.setOutcomeDesc(detail);
    AuditEvent.AuditEventAgentComponent agent = e.addAgent().setRequestor(true);
    if (clientId != null) {
      agent.setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENTS).setValue(clientId)));
    } else {
      agent.setWho(new Reference().setDisplay("unidentified caller"));
    }
    e.getSource().setSite("Televisit").setObserver(new Reference().setDisplay("Televisit authorization server"));
    return e;
  }

  /** Queues an AuditEvent built elsewhere (checks that change nothing, so need no transaction of their own). */
  public void later(AuditEvent event) {
    enqueue(event);
  }

  private void enqueue(AuditEvent event) {
    String json = R4.newJsonParser().encodeResourceToString(event);
    // A connection of its own, outside any transaction of the caller's thread.
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement("INSERT INTO televisit.audit_queue (event, queued_at) VALUES (?, ?)")) {
      c.setAutoCommit(true);
      st.setString(1, json);
      st.setTimestamp(2, Timestamp.from(Instant.now()));
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("the audit trail could not record an event: " + e.getMessage(), e);
    }
    queued.release();
  }

  private void writeLoop() {
    while (running) {
      try {
        int written = writeBatch();
        if (written < 0) {
          Thread.sleep(1000); // the database or the FHIR store is not there yet: the rows wait
        } else if (written < BATCH) {
          queued.tryAcquire(200, TimeUnit.MILLISECONDS);
          queued.drainPermits();
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
      log.warn("security audit write failed (the events stay queued): {}", e.getMessage());
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

  private static AuditEvent parse(Queued row) {
    return R4.newJsonParser().parseResource(AuditEvent.class, row.json());
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
    queued.release(); // no interrupt: it would close H2's file channel under a running write
    writer.join(10_000);
  }
}
