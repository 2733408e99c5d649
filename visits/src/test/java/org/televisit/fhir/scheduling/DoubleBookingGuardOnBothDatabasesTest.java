package org.televisit.fhir.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.televisit.support.BothDatabases;

/**
 * The double-booking guard's own SQL on H2 (the embedded default: a calendar row locked FOR UPDATE)
 * and PostgreSQL (an advisory lock sent with the overlap check): an overlapping time and a taken
 * Slot are refused, a cancel frees them, and of concurrent bookings of one time exactly one
 * commits.
 */
class DoubleBookingGuardOnBothDatabasesTest {

  static final Instant NINE = Instant.parse("2033-05-02T09:00:00Z");

  static Appointment visit(String id, String practitioner, Instant start, String slot) {
    Appointment a = new Appointment();
    a.setId("Appointment/" + id);
    a.setStatus(Appointment.AppointmentStatus.BOOKED);
    a.setStart(Date.from(start));
    a.setEnd(Date.from(start.plusSeconds(1200)));
    a.addParticipant()
        .setActor(new Reference("Patient/p-" + id))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    a.addParticipant()
        .setActor(new Reference(practitioner))
        .setStatus(Appointment.ParticipationStatus.ACCEPTED);
    if (slot != null) {
      a.addSlot(new Reference(slot));
    }
    return a;
  }

  static DoubleBookingGuard guard(BothDatabases.Named database, DataSource dataSource) {
    // Practitioner references only: the calendars need no FHIR store
    return new DoubleBookingGuard(
        new JdbcTemplate(dataSource),
        database == BothDatabases.Named.POSTGRESQL,
        new Calendars(null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.televisit.support.BothDatabases#both")
  void anOverlapAndATakenSlotAreRefusedAndACancelFreesThem(
      BothDatabases.Named database, DataSource dataSource) {
    DoubleBookingGuard guard = guard(database, dataSource);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    String practitioner = "Practitioner/" + UUID.randomUUID();
    String slot = "Slot/" + UUID.randomUUID();
    Appointment first = visit(UUID.randomUUID().toString(), practitioner, NINE, slot);
    tx.executeWithoutResult(s -> guard.reserve(first, false));

    Appointment overlapping =
        visit(UUID.randomUUID().toString(), practitioner, NINE.minusSeconds(600), null);
    assertThatThrownBy(() -> tx.executeWithoutResult(s -> guard.reserve(overlapping, false)))
        .isInstanceOf(ResourceVersionConflictException.class)
        .hasMessageContaining(practitioner);
    Appointment sameSlot =
        visit(UUID.randomUUID().toString(), "Practitioner/" + UUID.randomUUID(), NINE, slot);
    assertThatThrownBy(() -> tx.executeWithoutResult(s -> guard.reserve(sameSlot, false)))
        .isInstanceOf(ResourceVersionConflictException.class)
        .hasMessageContaining(slot);
    Appointment later =
        visit(UUID.randomUUID().toString(), practitioner, NINE.plusSeconds(1200), null);
    tx.executeWithoutResult(s -> guard.reserve(later, false)); // back to back is no overlap

    first.setStatus(Appointment.AppointmentStatus.CANCELLED);
    tx.executeWithoutResult(s -> guard.reserve(first, true));
    tx.executeWithoutResult(s -> guard.reserve(overlapping, false));
    tx.executeWithoutResult(s -> guard.reserve(sameSlot, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.televisit.support.BothDatabases#both")
  void ofConcurrentBookingsOfOneTimeExactlyOneCommits(
      BothDatabases.Named database, DataSource dataSource) throws Exception {
    DoubleBookingGuard guard = guard(database, dataSource);
    TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    String practitioner = "Practitioner/" + UUID.randomUUID();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    List<Callable<Boolean>> bookings = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Appointment a =
          visit(UUID.randomUUID().toString(), practitioner, NINE.plusSeconds(60L * i), null);
      bookings.add(
          () -> {
            try {
              tx.executeWithoutResult(s -> guard.reserve(a, false));
              return true;
            } catch (ResourceVersionConflictException clash) {
              return false;
            }
          });
    }
    int won = 0;
    for (Future<Boolean> f : pool.invokeAll(bookings)) {
      won += f.get() ? 1 : 0;
    }
    pool.shutdown();
    assertThat(won).isEqualTo(1);
    assertThat(
            new JdbcTemplate(dataSource)
                .queryForObject(
                    "SELECT count(*) FROM televisit.booked_time WHERE actor = ?",
                    Integer.class,
                    practitioner))
        .isEqualTo(1);
  }
}
