package org.televisit.visits.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

/**
 * What the audit trail indexes of an event, and how a FHIR search becomes SQL (no database, no
 * Spring).
 */
class AuditEventSearchTest {

  @Test
  void aBookingIsFoundByItsSubtypesEntitiesAndPatient() {
    AuditRecord booking =
        new AuditRecord(
            AuditRecord.Type.REST,
            List.of("book", "link-issued"),
            "C",
            true,
            null,
            "scheduler",
            "Practitioner/7",
            null,
            "Televisit",
            "Appointment/5",
            "Patient/9",
            1_000L);
    AuditEventEntries entries = AuditEventEntries.of(booking.toAuditEvent());
    assertThat(entries.action()).isEqualTo("C");
    assertThat(entries.outcome()).isEqualTo("0");
    assertThat(entries.typeCode()).isEqualTo("rest");
    assertThat(entries.index())
        .containsExactly(
            new AuditEventEntries.Entry("subtype", AuditRecord.SUBTYPES, "book"),
            new AuditEventEntries.Entry("subtype", AuditRecord.SUBTYPES, "link-issued"),
            new AuditEventEntries.Entry("agent-id", AuditRecord.CLIENTS, "scheduler"),
            new AuditEventEntries.Entry("agent", null, "Practitioner/7"),
            new AuditEventEntries.Entry("entity", null, "Appointment/5"),
            new AuditEventEntries.Entry("entity", null, "Patient/9"));
  }

  @Test
  void referencesAreKeptAsTypeAndIdWhateverTheirForm() {
    AuditEvent posted = new AuditEvent();
    posted.addAgent().setWho(new Reference("https://ehr.example.org/fhir/Patient/p1/_history/3"));
    assertThat(AuditEventEntries.of(posted).index())
        .containsExactly(new AuditEventEntries.Entry("agent", null, "Patient/p1"));
  }

  @Test
  void repeatedParametersAndAndCommasOr() {
    TokenAndListParam subtypes =
        new TokenAndListParam()
            .addAnd(
                new TokenOrListParam()
                    .add(new TokenParam(AuditRecord.SUBTYPES, "book"))
                    .add(new TokenParam(null, "cancel")))
            .addAnd(new TokenOrListParam().add(new TokenParam(null, "link-issued")));
    ReferenceAndListParam patient =
        new ReferenceAndListParam().addAnd(new ReferenceOrListParam().add(new ReferenceParam("9")));
    List<Object> args = new ArrayList<>();
    String where = search(subtypes, patient, null).where(args);
    assertThat(where).containsPattern("WHERE EXISTS .* AND EXISTS .* AND EXISTS ");
    assertThat(where.split("\\?", -1)).hasSize(args.size() + 1);
    assertThat(args)
        .containsExactly(
            "subtype",
            "book",
            AuditRecord.SUBTYPES,
            "cancel",
            "subtype",
            "link-issued",
            "Patient/9");
    assertThat(where)
        .contains("i.param IN ('agent', 'entity')"); // patient: a Patient among agents or entities
  }

  @Test
  void whatTheTrailCannotAnswerExactlyIsRefused() {
    ReferenceAndListParam chained =
        new ReferenceAndListParam()
            .addAnd(new ReferenceOrListParam().add(new ReferenceParam("Patient", "name", "Smith")));
    assertThatThrownBy(() -> search(null, chained, null).where(new ArrayList<>()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("chained");
    assertThatThrownBy(() -> search(null, null, new SortSpec("outcome")).order())
        .isInstanceOf(InvalidRequestException.class);
    assertThat(search(null, null, new SortSpec("date", SortOrderEnum.DESC)).order())
        .isEqualTo("e.recorded DESC, e.id DESC");
  }

  private static AuditEventSearch search(
      TokenAndListParam subtype, ReferenceAndListParam patient, SortSpec sort) {
    return new AuditEventSearch(null, null, null, subtype, null, null, null, null, patient, sort);
  }
}
