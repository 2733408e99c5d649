package org.televisit.visits.ehr;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.televisit.support.BothDatabases;
import org.televisit.visits.launch.SmartClientProperties;
import org.televisit.visits.notify.OutboxKey;

/**
 * What a visit from another EHR keeps of it (ids, write-back, sealed tokens), on H2 and PostgreSQL.
 */
class EhrVisitsOnBothDatabasesTest {

  static EhrVisits on(DataSource dataSource) throws Exception {
    OutboxKey key = new OutboxKey("", Files.createTempDirectory("televisit-ehr-key").toString());
    return new EhrVisits(
        new JdbcTemplate(dataSource),
        null,
        null,
        null,
        key,
        FhirContext.forR4Cached(),
        new SmartClientProperties(
            null,
            null,
            null,
            Duration.ofMinutes(10),
            Duration.ofSeconds(3),
            Duration.ofSeconds(10)),
        new DataSourceTransactionManager(dataSource));
  }

  @ParameterizedTest
  @MethodSource("org.televisit.support.BothDatabases#both")
  void aLinkIsKeptUpdatedAndReadBack(BothDatabases.Named db, DataSource dataSource)
      throws Exception {
    EhrVisits visits = on(dataSource);
    String appointment = "Appointment/" + UUID.randomUUID();
    Instant expires = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    visits.remember(
        new EhrVisits.Link(
            appointment,
            "https://ehr.example.org/r4",
            "p-1",
            "e-1",
            "a-1",
            "Practitioner/dr1",
            true,
            "access-1",
            "refresh-1",
            expires));
    assertThat(visits.link(appointment))
        .hasValueSatisfying(
            l -> {
              assertThat(l.ehrEncounter()).isEqualTo("e-1");
              assertThat(l.accessToken()).isEqualTo("access-1");
              assertThat(l.expiresAt()).isEqualTo(expires);
            });
    assertThat(visits.writtenBackFor(appointment)).hasValue("p-1");
    // the tokens are sealed at rest
    assertThat(
            new JdbcTemplate(dataSource)
                .queryForObject(
                    "SELECT tokens FROM televisit.ehr_visit WHERE appointment = ?",
                    String.class,
                    appointment))
        .doesNotContain("access-1")
        .doesNotContain("refresh-1");

    // a refresh rotates the tokens; an unknown encounter keeps the one known
    visits.remember(
        new EhrVisits.Link(
            appointment,
            "https://ehr.example.org/r4",
            "p-1",
            null,
            null,
            "Practitioner/dr1",
            true,
            "access-2",
            "refresh-2",
            null));
    assertThat(visits.link(appointment))
        .hasValueSatisfying(
            l -> {
              assertThat(l.ehrEncounter()).isEqualTo("e-1");
              assertThat(l.ehrAppointment()).isEqualTo("a-1");
              assertThat(l.refreshToken()).isEqualTo("refresh-2");
              assertThat(l.expiresAt()).isNull();
            });
    assertThat(
            new JdbcTemplate(dataSource)
                .queryForObject(
                    "SELECT COUNT(*) FROM televisit.ehr_visit WHERE appointment = ?",
                    Integer.class,
                    appointment))
        .isEqualTo(1);

    String notWrittenBack = "Appointment/" + UUID.randomUUID();
    visits.remember(
        new EhrVisits.Link(
            notWrittenBack,
            "https://ehr.example.org/r4",
            "p-2",
            null,
            null,
            "Practitioner/dr1",
            false,
            "a",
            null,
            null));
    assertThat(visits.writtenBackFor(notWrittenBack)).isEmpty();
    assertThat(visits.link("Appointment/unknown")).isEmpty();
  }
}
