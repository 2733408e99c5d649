package org.televisit.visits.authorization;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.televisit.fhir.access.SmartAccessInterceptor;
import org.televisit.smart.server.SecurityEvent;

/**
 * The audit trail of SMART security decisions (sign-ins, tokens issued and refused, revocations,
 * introspections, and every refusal on /fhir) as FHIR AuditEvents in IHE BALP style: who (the app's
 * client id), what happened, outcome, observed by Televisit. Events carry ids only, never tokens or
 * PHI. They are written in batches on one thread (a token endpoint answering hundreds of requests a
 * second must not wait for a FHIR write each); the queue is bounded and a full queue makes callers
 * wait, so nothing is dropped. What is still queued at shutdown is written before the app stops.
 */
@Component
public class SecurityAudit implements SecurityEvent.Sink, SmartAccessInterceptor.AccessDenials {

  static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
  static final String SUBTYPES = "urn:televisit:audit";
  static final String CLIENTS = "urn:televisit:smart:client";

  private static final Logger log = LoggerFactory.getLogger(SecurityAudit.class);

  private final BlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(10_000);
  private final ObjectProvider<ca.uhn.fhir.jpa.api.dao.DaoRegistry> daos;
  private final ObjectProvider<org.springframework.transaction.PlatformTransactionManager> transactions;
  private final Thread writer;
  private final java.util.concurrent.atomic.AtomicInteger unwritten = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean running = true;

  SecurityAudit(ObjectProvider<ca.uhn.fhir.jpa.api.dao.DaoRegistry> daos,
      ObjectProvider<org.springframework.transaction.PlatformTransactionManager> transactions) {
    this.daos = daos;
    this.transactions = transactions;
    this.writer = new Thread(this::writeLoop, "security-audit");
    writer.setDaemon(true);
    writer.start();
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
    unwritten.incrementAndGet();
    try {
      if (!queue.offer(event, 30, TimeUnit.SECONDS)) {
        log.error("security audit queue stayed full for 30 s; writing this event on the caller's thread");
        write(List.of(event));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      write(List.of(event));
    }
  }

  private void writeLoop() {
    List<AuditEvent> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, 499);
        while (!write(batch)) {
          Thread.sleep(1000); // the database is away: keep the batch and try again
        }
        batch.clear();
      } catch (InterruptedException e) {
        running = false;
      }
    }
  }

  /**
   * One database transaction per batch; plain creates (no bundle processing: nothing to match or
   * resolve). A batch the database did not take is kept for the next try; a batch the FHIR store
   * refused (a 4xx: an event it will never accept) is written one by one and the refused events are
   * logged and dropped, so one bad event cannot hold up the trail behind it.
   */
  private boolean write(List<AuditEvent> events) {
    ca.uhn.fhir.jpa.api.dao.DaoRegistry registry = daos.getIfAvailable();
    org.springframework.transaction.PlatformTransactionManager tx = transactions.getIfAvailable();
    if (registry == null || tx == null) {
      return false;
    }
    try {
      writeAll(registry, tx, events);
      unwritten.addAndGet(-events.size());
      return true;
    } catch (ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException refused) {
      for (AuditEvent event : events) {
        try {
          writeAll(registry, tx, List.of(event));
        } catch (ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException e) {
          log.error("an AuditEvent ({}) was refused by the FHIR store and dropped: {}",
              event.getSubtypeFirstRep().getCode(), e.getMessage());
        }
        unwritten.decrementAndGet();
      }
      return true;
    } catch (RuntimeException e) {
      log.warn("security audit write failed ({} events kept for the next try): {}", events.size(), e.getMessage());
      return false;
    }
  }

  private static void writeAll(ca.uhn.fhir.jpa.api.dao.DaoRegistry registry, org.springframework.transaction.PlatformTransactionManager tx,
      List<AuditEvent> events) {
    ca.uhn.fhir.jpa.api.dao.IFhirResourceDao<AuditEvent> dao = registry.getResourceDao(AuditEvent.class);
    new org.springframework.transaction.support.TransactionTemplate(tx).executeWithoutResult(status -> {
      SystemRequestDetails request = new SystemRequestDetails();
      for (AuditEvent event : events) {
        dao.create(event, request);
      }
    });
  }

  /** Waits until every queued event is written (tests and shutdown). */
  public boolean flush(long timeoutMillis) {
    long until = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < until) {
      if (unwritten.get() == 0) {
        return true;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  @PreDestroy
  void stop() throws InterruptedException {
    running = false;
    writer.join(10_000);
  }
}
