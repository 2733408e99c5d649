package org.televisit.visits.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Brings an earlier version's audit trail into {@code televisit.audit_event}, once, in the
 * background after start-up: the AuditEvents it wrote to HAPI's JPA store (which /fhir no longer
 * serves for that type) and the records still waiting in its queue table ({@code
 * televisit.audit_queue}). Each copy is named after its source in {@code
 * televisit.audit_event_moved}, so an upgrade interrupted half-way is simply run again; the JPA
 * copy is marked done in {@code televisit.upgrade_step}, the queue empties as it goes.
 */
@Component
class AuditTrailUpgrade {

  static final String FROM_FHIR_STORE = "audit-events-from-the-fhir-store";
  private static final Logger log = LoggerFactory.getLogger(AuditTrailUpgrade.class);
  private static final int PAGE = 200;

  private final AuditTrail trail;
  private final JdbcTemplate jdbc;
  private final DaoRegistry daos;
  private final FhirContext fhirContext;

  AuditTrailUpgrade(
      AuditTrail trail, JdbcTemplate jdbc, DaoRegistry daos, FhirContext fhirContext) {
    this.trail = trail;
    this.jdbc = jdbc;
    this.daos = daos;
    this.fhirContext = fhirContext;
  }

  @EventListener(ApplicationReadyEvent.class)
  void startUpgrade() {
    Thread upgrade = new Thread(this::run, "audit-trail-upgrade");
    upgrade.setDaemon(true);
    upgrade.start();
  }

  void run() {
    try {
      int queued = moveQueue();
      int stored = moveFromFhirStore();
      if (queued + stored > 0) {
        log.info(
            "audit trail upgrade: {} queued records and {} AuditEvents of the FHIR store moved in",
            queued,
            stored);
      }
    } catch (RuntimeException e) {
      log.warn("audit trail upgrade stopped (it runs again at the next start): {}", e.getMessage());
    }
  }

  /** The old queue's rows, oldest first; a row is deleted once its event is in the trail. */
  int moveQueue() {
    int moved = 0;
    while (true) {
      List<Object[]> rows =
          jdbc.query(
              "SELECT id, event FROM televisit.audit_queue ORDER BY id LIMIT " + PAGE,
              (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)});
      if (rows.isEmpty()) {
        return moved;
      }
      for (Object[] row : rows) {
        String json = (String) row[1];
        AuditEvent event;
        try {
          event = AuditTrail.parse(json);
        } catch (RuntimeException unreadable) {
          log.error(
              "an audit queue row could not be read and stays in televisit.audit_queue (id {}): {}",
              row[0],
              unreadable.getMessage());
          continue;
        }
        if (trail.moveIn(event, json, "audit_queue/" + row[0])) {
          moved++;
        }
        jdbc.update("DELETE FROM televisit.audit_queue WHERE id = ?", row[0]);
      }
      if (rows.size() < PAGE) {
        return moved;
      }
    }
  }

  /** The AuditEvents an earlier version wrote to HAPI's store, each with the id it had there. */
  int moveFromFhirStore() {
    Integer done =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM televisit.upgrade_step WHERE name = ?",
            Integer.class,
            FROM_FHIR_STORE);
    if (done != null && done > 0) {
      return 0;
    }
    IBundleProvider all =
        daos.getResourceDao(AuditEvent.class)
            .search(new SearchParameterMap(), new SystemRequestDetails());
    int moved = 0;
    for (int from = 0; ; from += PAGE) {
      List<IBaseResource> page = all.getResources(from, from + PAGE);
      for (IBaseResource resource : page) {
        AuditEvent event = (AuditEvent) resource;
        String from0 = event.getIdElement().toUnqualifiedVersionless().getValue();
        AuditEvent copy = event.copy();
        copy.setIdElement(null);
        copy.setMeta(null);
        if (trail.moveIn(copy, fhirContext.newJsonParser().encodeResourceToString(copy), from0)) {
          moved++;
        }
      }
      if (page.size() < PAGE) {
        break;
      }
    }
    jdbc.update(
        "INSERT INTO televisit.upgrade_step (name, done_at) VALUES (?, ?)",
        FROM_FHIR_STORE,
        Timestamp.from(Instant.now()));
    return moved;
  }
}
