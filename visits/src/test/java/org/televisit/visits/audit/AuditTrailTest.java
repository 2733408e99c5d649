package org.televisit.visits.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.televisit.smart.server.GrantContext;
import org.televisit.support.FhirTestSupport;
import org.televisit.support.TelevisitIntegrationTest;

/**
 * The audit trail in its own tables, served as /fhir/AuditEvent: an event commits with what it
 * records (or on its own, outliving the caller's rollback), searches filter exactly, the trail is
 * append-only, patient scopes see their own patient's events only, and an earlier version's events
 * are moved in.
 */
@TelevisitIntegrationTest
class AuditTrailTest extends FhirTestSupport {

  @Autowired AuditTrail trail;
  @Autowired AuditTrailUpgrade upgrade;
  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;
  @Autowired ca.uhn.fhir.jpa.api.dao.DaoRegistry daos;

  static AuditRecord event(String detail, String patient) {
    return event("link-check", true, detail, patient, System.currentTimeMillis());
  }

  static AuditRecord event(
      String subtype, boolean success, String detail, String patient, long recorded) {
    return new AuditRecord(
        AuditRecord.Type.REST,
        List.of(subtype),
        "E",
        success,
        detail,
        null,
        null,
        "test",
        "Televisit",
        null,
        patient,
        recorded);
  }

  @Test
  void anEventOutlivesARollbackOfTheCallersTransaction() {
    String patient = createPatient().getValue();
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              trail.later(event("checked, then the caller failed", patient));
              status.setRollbackOnly();
            });
    assertThat(eventsAbout(patient)).containsExactly("checked, then the caller failed");
  }

  @Test
  void theEventOfAChangeCommitsAndRollsBackWithIt() {
    String patient = createPatient().getValue();
    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              trail.withChange(event("a change that failed", patient));
              status.setRollbackOnly();
            });
    new TransactionTemplate(transactions)
        .executeWithoutResult(status -> trail.withChange(event("a change that held", patient)));
    assertThat(eventsAbout(patient)).containsExactly("a change that held");
  }

  @Test
  void searchesFilterByDateSubtypeOutcomeAndPatientAndSortAndPage() throws Exception {
    String patient = createPatient().getValue();
    long t0 = Instant.parse("2031-03-04T10:00:00Z").toEpochMilli();
    trail.later(event("link-check", true, "first", patient, t0));
    trail.later(event("link-check", false, "second", patient, t0 + 60_000));
    trail.later(event("cancel", true, "third", patient, t0 + 120_000));
    trail.later(event("link-check", true, "elsewhere", createPatient().getValue(), t0 + 60_000));

    assertThat(details("patient=" + patient)).containsExactly("first", "second", "third");
    assertThat(details("patient=" + patient + "&_sort=-date"))
        .containsExactly("third", "second", "first");
    assertThat(details("patient=" + patient + "&subtype=" + AuditRecord.SUBTYPES + "|link-check"))
        .containsExactly("first", "second");
    assertThat(details("patient=" + patient + "&subtype=urn:other|link-check")).isEmpty();
    assertThat(details("patient=" + patient + "&subtype=link-check,cancel&outcome=0"))
        .containsExactly("first", "third");
    assertThat(
            details(
                "patient=" + patient + "&date=ge2031-03-04T10:01:00Z&date=lt2031-03-04T10:02:00Z"))
        .containsExactly("second");
    assertThat(details("entity=" + patient + "&action=E&type=rest"))
        .containsExactly("first", "second", "third");
    assertThat(
            details(
                "patient="
                    + patient.replace("Patient/", "")
                    + "&outcome=http://hl7.org/fhir/audit-event-outcome|4"))
        .containsExactly("second");

    Bundle firstPage = search("patient=" + patient + "&_count=2");
    assertThat(firstPage.getTotal()).isEqualTo(3);
    assertThat(firstPage.getEntry()).hasSize(2);
    Bundle secondPage = fhir().loadPage().next(firstPage).execute();
    assertThat(secondPage.getEntry())
        .map(e -> ((AuditEvent) e.getResource()).getOutcomeDesc())
        .containsExactly("third");

    AuditEvent read =
        fhir()
            .read()
            .resource(AuditEvent.class)
            .withId(firstPage.getEntry().get(0).getResource().getIdElement().getIdPart())
            .execute();
    assertThat(read.getOutcomeDesc()).isEqualTo("first");
    assertThat(read.getRecorded().toInstant()).isEqualTo(Instant.ofEpochMilli(t0));
  }

  @Test
  void badSearchesAndChangesAreRefusedWithAnOperationOutcome() throws Exception {
    assertThat(status("GET", "/fhir/AuditEvent?address=10.0.0.1", null)).isEqualTo(400);
    assertThat(status("GET", "/fhir/AuditEvent?subtype:not=link-check", null)).isEqualTo(400);
    assertThat(status("GET", "/fhir/AuditEvent?_sort=outcome", null)).isEqualTo(400);
    assertThat(status("GET", "/fhir/AuditEvent/999999999", null)).isEqualTo(404);
    assertThat(status("GET", "/fhir/AuditEvent/not-a-number", null)).isEqualTo(404);

    String patient = createPatient().getValue();
    trail.later(event("kept as it was", patient));
    String id = auditEventsAbout(patient).get(0).getIdElement().getIdPart();
    AuditEvent changed = auditEventsAbout(patient).get(0).setOutcomeDesc("rewritten");
    String json = fhirContext.newJsonParser().encodeResourceToString(changed);
    assertThat(status("PUT", "/fhir/AuditEvent/" + id, json)).isEqualTo(405);
    assertThat(status("DELETE", "/fhir/AuditEvent/" + id, null)).isEqualTo(405);
    assertThat(eventsAbout(patient)).containsExactly("kept as it was");

    // a transaction would write to HAPI's store, which nobody reads for this type: refused whole
    Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    transaction
        .addEntry()
        .setResource(appEvent(patient, "in a bundle"))
        .getRequest()
        .setMethod(Bundle.HTTPVerb.POST)
        .setUrl("AuditEvent");
    HttpResponse<String> refused =
        send("POST", "/fhir", fhirContext.newJsonParser().encodeResourceToString(transaction));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains("OperationOutcome")
        .contains("cannot be part of a transaction");

    HttpResponse<String> incomplete =
        send(
            "POST",
            "/fhir/AuditEvent",
            "{\"resourceType\":\"AuditEvent\",\"recorded\":\"2030-01-01T00:00:00Z\"}");
    assertThat(incomplete.statusCode()).isEqualTo(422);
    assertThat(incomplete.body())
        .contains("OperationOutcome")
        .contains("type")
        .contains("source.observer");
  }

  @Test
  void appsRecordTheirOwnEvents() throws Exception {
    String patient = createPatient().getValue();
    HttpResponse<String> created =
        send(
            "POST",
            "/fhir/AuditEvent",
            fhirContext
                .newJsonParser()
                .encodeResourceToString(appEvent(patient, "the app printed a summary")));
    assertThat(created.statusCode()).isEqualTo(201);
    assertThat(created.headers().firstValue("Location").orElse(""))
        .contains("/fhir/AuditEvent/")
        .endsWith("/_history/1");
    assertThat(details("patient=" + patient + "&agent=Practitioner/pr-1&subtype=urn:app|print"))
        .containsExactly("the app printed a summary");
  }

  /** What one app did: its client id is the requesting agent's identifier. */
  @Test
  void eventsAreFoundByTheAppThatAsked() throws Exception {
    String client = "app-" + java.util.UUID.randomUUID();
    String patient = createPatient().getValue();
    trail.later(
        new AuditRecord(
            AuditRecord.Type.REST,
            List.of("book"),
            "C",
            true,
            "booked by the app",
            client,
            null,
            null,
            "Televisit",
            null,
            patient,
            System.currentTimeMillis()));
    trail.later(event("someone else's", patient));
    assertThat(details("agent:identifier=" + AuditRecord.CLIENTS + "|" + client))
        .containsExactly("booked by the app");
    assertThat(details("agent:identifier=" + client)).containsExactly("booked by the app");
    assertThat(details("agent:identifier=urn:other|" + client)).isEmpty();
    assertThat(status("GET", "/fhir/AuditEvent?patient:identifier=urn:mrn%7C1", null))
        .isEqualTo(400);
  }

  @Test
  void aPatientScopeSeesItsOwnPatientsEventsOnly() throws Exception {
    String mine = createPatient().getValue();
    String theirs = createPatient().getValue();
    trail.later(event("about me", mine));
    trail.later(event("about someone else", theirs));
    String token = token("patient/AuditEvent.rs", GrantContext.none().withPatient(mine));
    HttpResponse<String> own = send("GET", "/fhir/AuditEvent?patient=" + mine, null, token);
    assertThat(own.statusCode()).isEqualTo(200);
    assertThat(own.body()).contains("about me");
    assertThat(send("GET", "/fhir/AuditEvent?patient=" + theirs, null, token).statusCode())
        .isEqualTo(403);
  }

  @Test
  void theCapabilityStatementSaysWhatTheTrailServes() {
    CapabilityStatement capabilities =
        fhir().capabilities().ofType(CapabilityStatement.class).execute();
    CapabilityStatement.CapabilityStatementRestResourceComponent audit =
        capabilities.getRestFirstRep().getResource().stream()
            .filter(r -> r.getType().equals("AuditEvent"))
            .findFirst()
            .orElseThrow();
    assertThat(audit.getInteraction())
        .map(i -> i.getCode().toCode())
        .containsExactlyInAnyOrder("read", "search-type", "create");
    assertThat(audit.getSearchParam())
        .map(CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent::getName)
        .containsExactlyInAnyOrder(
            "_id", "date", "type", "subtype", "action", "outcome", "agent", "entity", "patient");
  }

  /**
   * What an earlier version left: records in the old queue (both of its forms) and AuditEvents in
   * HAPI's store.
   */
  @Test
  void anEarlierVersionsTrailIsMovedInOnce() throws Exception {
    String patient = createPatient().getValue();
    String record =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .writeValueAsString(event("queued as a record", patient));
    String resource =
        fhirContext
            .newJsonParser()
            .encodeResourceToString(event("queued as an AuditEvent", patient).toAuditEvent());
    for (String json : List.of(record, resource)) {
      jdbc.update(
          "INSERT INTO televisit.audit_queue (event, queued_at) VALUES (?, ?)",
          json,
          new java.sql.Timestamp(System.currentTimeMillis()));
    }
    IdType stored =
        (IdType)
            daos.getResourceDao(AuditEvent.class)
                .create(
                    event("in the FHIR store", patient).toAuditEvent(), new SystemRequestDetails())
                .getId();
    jdbc.update(
        "DELETE FROM televisit.upgrade_step WHERE name = ?", AuditTrailUpgrade.FROM_FHIR_STORE);

    upgrade.moveQueue();
    upgrade.moveFromFhirStore();
    jdbc.update(
        "DELETE FROM televisit.upgrade_step WHERE name = ?", AuditTrailUpgrade.FROM_FHIR_STORE);
    upgrade.moveFromFhirStore(); // an interrupted upgrade runs again: nothing twice

    assertThat(eventsAbout(patient))
        .containsExactlyInAnyOrder(
            "queued as a record", "queued as an AuditEvent", "in the FHIR store");
    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM televisit.audit_queue", Integer.class))
        .isZero();
    assertThat(
            jdbc.queryForObject(
                "SELECT COUNT(*) FROM televisit.audit_event_moved WHERE source = ?",
                Integer.class,
                stored.toUnqualifiedVersionless().getValue()))
        .isEqualTo(1);
  }

  private static AuditEvent appEvent(String patient, String detail) {
    AuditEvent e = new AuditEvent();
    e.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", null));
    e.addSubtype(new Coding("urn:app", "print", null));
    e.setAction(AuditEvent.AuditEventAction.R)
        .setRecorded(new java.util.Date())
        .setOutcome(AuditEvent.AuditEventOutcome._0)
        .setOutcomeDesc(detail);
    e.addAgent().setRequestor(true).setWho(new Reference("Practitioner/pr-1"));
    e.getSource().setObserver(new Reference().setDisplay("a SMART app"));
    e.addEntity().setWhat(new Reference(patient));
    return e;
  }

  private Bundle search(String query) {
    return fhir().search().byUrl("AuditEvent?" + query).returnBundle(Bundle.class).execute();
  }

  private List<String> details(String query) {
    return search(query).getEntry().stream()
        .map(e -> ((AuditEvent) e.getResource()).getOutcomeDesc())
        .toList();
  }

  private List<String> eventsAbout(String patient) {
    return auditEventsAbout(patient).stream().map(AuditEvent::getOutcomeDesc).toList();
  }

  private int status(String method, String path, String body) throws Exception {
    HttpResponse<String> response = send(method, path, body);
    if (response.statusCode() >= 400) {
      assertThat(response.body()).as(method + " " + path).contains("OperationOutcome");
    }
    return response.statusCode();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return send(method, path, body, systemToken());
  }

  private HttpResponse<String> send(String method, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base() + path))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "application/fhir+json");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/fhir+json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
