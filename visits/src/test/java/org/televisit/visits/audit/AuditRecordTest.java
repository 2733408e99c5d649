package org.televisit.visits.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

/**
 * The queued form of an audit event and the FHIR AuditEvent built from it (BALP's who, what,
 * outcome).
 */
class AuditRecordTest {

  final AuditRecord booking =
      new AuditRecord(
          AuditRecord.Type.REST,
          List.of("book", "link-issued"),
          "C",
          true,
          null,
          "scheduler-app",
          "Practitioner/7",
          "Televisit",
          "Televisit",
          "Appointment/3",
          "Patient/5",
          1_800_000_000_000L);

  @Test
  void anAppsActionNamesTheAppTheUserAndWhatItWasAbout() {
    AuditEvent e = booking.toAuditEvent();
    assertThat(e.getType().getCode()).isEqualTo("rest");
    assertThat(e.getSubtype())
        .extracting(c -> c.getSystem() + "|" + c.getCode())
        .containsExactly(AuditRecord.SUBTYPES + "|book", AuditRecord.SUBTYPES + "|link-issued");
    assertThat(e.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
    assertThat(e.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
    assertThat(e.getRecorded().getTime()).isEqualTo(1_800_000_000_000L);
    assertThat(e.getAgent()).hasSize(2);
    assertThat(e.getAgent().get(0).getRequestor()).isTrue();
    assertThat(e.getAgent().get(0).getWho().getIdentifier().getSystem())
        .isEqualTo(AuditRecord.CLIENTS);
    assertThat(e.getAgent().get(0).getWho().getIdentifier().getValue()).isEqualTo("scheduler-app");
    assertThat(e.getAgent().get(1).getWho().getReference()).isEqualTo("Practitioner/7");
    assertThat(e.getEntity())
        .extracting(en -> en.getWhat().getReference())
        .containsExactly("Appointment/3", "Patient/5");
    assertThat(e.getEntity().get(1).getRole().getCode()).isEqualTo("1");
  }

  @Test
  void aRefusalWithoutAClientNamesTheCallerByDisplayAndFails() {
    AuditRecord refused =
        new AuditRecord(
            AuditRecord.Type.SECURITY_ALERT,
            List.of("fhir-access-denied"),
            "E",
            false,
            "read Patient: scope",
            null,
            null,
            "unidentified caller",
            "Televisit authorization server",
            null,
            null,
            1L);
    AuditEvent e = refused.toAuditEvent();
    assertThat(e.getType().getSystem()).isEqualTo("http://dicom.nema.org/resources/ontology/DCM");
    assertThat(e.getType().getCode()).isEqualTo("110113");
    assertThat(e.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
    assertThat(e.getOutcomeDesc()).isEqualTo("read Patient: scope");
    assertThat(e.getAgent())
        .singleElement()
        .satisfies(a -> assertThat(a.getWho().getDisplay()).isEqualTo("unidentified caller"));
    assertThat(e.getEntity()).isEmpty();
  }

  @Test
  void theQueuedJsonReadsBackAsTheSameRecord() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertThat(json.readValue(json.writeValueAsString(booking), AuditRecord.class))
        .isEqualTo(booking);
  }
}
