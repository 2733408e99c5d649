package org.televisit.visits.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * The batched audit writer: events are durable in televisit.audit_queue before the caller goes on; an
 * event the FHIR store refuses is dropped, the ones around it are written.
 */
@TelevisitIntegrationTest
class AuditTrailTest extends FhirTestSupport {

  @Autowired AuditTrail trail;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;

  static AuditRecord event(String detail, String patient) {
    return new AuditRecord(AuditRecord.Type.REST, java.util.List.of("link-check"), "E", true, detail, null, null, "test", "Televisit",
        null, patient, System.currentTimeMillis());
  }

  @Test
  void aRefusedEventDoesNotHoldUpTheTrail() {
    String before = "before-" + UUID.randomUUID();
    String after = "after-" + UUID.randomUUID();
    trail.later(event(before, createPatient().getValue()));
    trail.later(event("refused", "NoSuchType/1")); // the store answers 400
    trail.later(event(after, createPatient().getValue()));
    assertThat(trail.flush(15_000)).isTrue();
    Bundle written = fhir().search().forResource(AuditEvent.class).where(AuditEvent.SUBTYPE.exactly().code("link-check"))
        .count(500).returnBundle(Bundle.class).execute();
    assertThat(written.getEntry()).map(e -> ((AuditEvent) e.getResource()).getOutcomeDesc()).contains(before, after);
  }

  @Test
  void anEventOutlivesARollbackOfTheCallersTransaction() {
    String patient = createPatient().getValue();
    new TransactionTemplate(transactions).executeWithoutResult(status -> {
      trail.later(event("checked, then the caller failed", patient));
      status.setRollbackOnly();
    });
    assertThat(trail.flush(15_000)).isTrue();
    assertThat(eventsAbout(patient)).containsExactly("checked, then the caller failed");
  }

  /** A node that stopped (or crashed) before writing its queue: the next writer takes the rows. */
  @Test
  void eventsLeftInTheQueueAreWritten() throws Exception {
    String patient = createPatient().getValue();
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(event("queued by a node that stopped", patient));
    jdbc.update("INSERT INTO televisit.audit_queue (event, queued_at) VALUES (?, ?)", json, new java.sql.Timestamp(System.currentTimeMillis()));
    assertThat(trail.flush(15_000)).isTrue();
    assertThat(eventsAbout(patient)).containsExactly("queued by a node that stopped");
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM televisit.audit_queue", Integer.class)).isZero();
  }

  /** Rows queued by a version that stored the AuditEvent itself (before an upgrade) are written too. */
  @Test
  void rowsQueuedAsAuditEventsAreWritten() {
    String patient = createPatient().getValue();
    String json = fhirContext.newJsonParser().encodeResourceToString(event("queued as an AuditEvent", patient).toAuditEvent());
    jdbc.update("INSERT INTO televisit.audit_queue (event, queued_at) VALUES (?, ?)", json, new java.sql.Timestamp(System.currentTimeMillis()));
    assertThat(trail.flush(15_000)).isTrue();
    assertThat(eventsAbout(patient)).containsExactly("queued as an AuditEvent");
  }

  private java.util.List<String> eventsAbout(String patient) {
    return auditEventsAbout(patient).stream().map(AuditEvent::getOutcomeDesc).toList();
  }
}
