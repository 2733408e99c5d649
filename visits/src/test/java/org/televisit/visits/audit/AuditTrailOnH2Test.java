package org.televisit.visits.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.param.ReferenceAndListParam;
import ca.uhn.fhir.rest.param.ReferenceOrListParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenAndListParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import java.util.UUID;
import liquibase.integration.spring.SpringLiquibase;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import org.televisit.visits.storage.TransactionWrites;

/**
 * The audit trail on H2, the embedded default (the integration tests run on PostgreSQL, where an
 * event and its search entries are one statement; here they are two, and must still commit
 * together).
 */
class AuditTrailOnH2Test {

  AuditTrail trail;
  TransactionTemplate transactions;

  @BeforeEach
  void migratedH2() throws Exception {
    DriverManagerDataSource h2 =
        new DriverManagerDataSource(
            "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    SpringLiquibase liquibase = new SpringLiquibase();
    liquibase.setDataSource(h2);
    liquibase.setChangeLog("classpath:db/televisit/changelog.xml");
    liquibase.setResourceLoader(new DefaultResourceLoader());
    liquibase.afterPropertiesSet();
    trail =
        new AuditTrail(
            h2,
            new JdbcTemplate(h2),
            new TransactionWrites(
                h2, new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    transactions = new TransactionTemplate(new DataSourceTransactionManager(h2));
  }

  @Test
  void eventsCommitWithTheirChangeOrOnTheirOwnAndAreFoundBySubtypeAndPatient() {
    transactions.executeWithoutResult(
        status -> {
          trail.withChange(record("book", "rolled back"));
          status.setRollbackOnly();
        });
    transactions.executeWithoutResult(status -> trail.withChange(record("book", "booked")));
    trail.withChange(record("cancel", "no transaction"));
    trail.later(record("link-check", "checked"));

    assertThat(details(search(null))).containsExactly("booked", "no transaction", "checked");
    assertThat(details(search("book"))).containsExactly("booked");
    AuditTrail.AuditEventPage page =
        trail.search(
            new AuditEventSearch(null, null, null, null, null, null, null, null, null, null), 1, 1);
    assertThat(page.total()).isEqualTo(3);
    assertThat(details(page)).containsExactly("no transaction");
  }

  private static AuditRecord record(String subtype, String detail) {
    return new AuditRecord(
        AuditRecord.Type.REST,
        List.of(subtype),
        "C",
        true,
        detail,
        "scheduler",
        null,
        null,
        "Televisit",
        "Appointment/1",
        "Patient/2",
        System.currentTimeMillis());
  }

  private AuditTrail.AuditEventPage search(String subtype) {
    TokenAndListParam subtypes =
        subtype == null
            ? null
            : new TokenAndListParam()
                .addAnd(new TokenOrListParam().add(new TokenParam(AuditRecord.SUBTYPES, subtype)));
    ReferenceAndListParam patient =
        new ReferenceAndListParam()
            .addAnd(new ReferenceOrListParam().add(new ReferenceParam("Patient/2")));
    return trail.search(
        new AuditEventSearch(null, null, null, subtypes, null, null, null, null, patient, null),
        0,
        20);
  }

  private static List<String> details(AuditTrail.AuditEventPage page) {
    return page.events().stream().map(AuditEvent::getOutcomeDesc).toList();
  }
}
