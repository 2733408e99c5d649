package org.televisit.fhir.scheduling;

import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.util.List;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.televisit.fhir.Appointments;

/**
 * No double booking, enforced by the database in the Appointment's own transaction: every active
 * Appointment (pending, booked, arrived, checked-in) records its time per calendar (the
 * practitioner, however the Appointment names them: see {@link Calendars}) and its Slots in
 * Televisit's tables. Writers of the same practitioner are serialised by a lock on the
 * practitioner's calendar (on PostgreSQL a transaction-scoped advisory lock keyed by the
 * practitioner; elsewhere SELECT ... FOR UPDATE on a calendar row), so of concurrent bookings of
 * one time exactly one commits; a Slot is a primary key, so it is booked once. The loser gets 409
 * with an OperationOutcome and nothing of its write is kept. Cancelling (or any inactive status)
 * frees the time and the Slots; changing the time moves them.
 */
public class DoubleBookingGuard {

  private final JdbcTemplate jdbc;
  private final boolean postgres;
  private final Calendars calendars;

  public DoubleBookingGuard(JdbcTemplate jdbc, boolean postgres, Calendars calendars) {
    this.jdbc = jdbc;
    this.postgres = postgres;
    this.calendars = calendars;
  }

  private static final String OVERLAP =
      "SELECT 1 FROM televisit.booked_time WHERE actor = ? AND starts_at < ? AND ends_at > ?"
          + " AND appointment <> ?";

  /**
   * Books the Appointment's time on each calendar and its Slots, or refuses with 409 (the caller's
   * transaction then rolls back). {@code heldBefore}: an update, whose earlier time is released
   * first.
   */
  public void reserve(Appointment appointment, boolean heldBefore) {
    String id = Appointments.reference(appointment);
    if (heldBefore) {
      release(id);
    }
    if (!Appointments.HOLDS_TIME.contains(appointment.getStatus())
        || !appointment.hasStart()
        || !appointment.hasEnd()) {
      return;
    }
    Timestamp start = new Timestamp(appointment.getStart().getTime());
    Timestamp end = new Timestamp(appointment.getEnd().getTime());
    // sorted, so two bookings that share practitioners lock them in the same order (no deadlock)
    for (String actor : calendars.of(appointment)) {
      if (!lockAndBook(id, actor, start, end)) {
        List<String> clash =
            jdbc.queryForList(
                OVERLAP.replace("SELECT 1", "SELECT appointment"),
                String.class,
                actor,
                end,
                start,
                id);
        throw new ResourceVersionConflictException(
            "Double booking refused: "
                + actor
                + " already has "
                + (clash.isEmpty() ? "a visit" : clash.get(0))
                + " at an overlapping time");
      }
    }
    for (Reference slot : appointment.getSlot()) {
      String ref = slot.getReferenceElement().toUnqualifiedVersionless().getValue();
      int inserted =
          postgres
              ? jdbc.update(
                  "INSERT INTO televisit.booked_slot (slot, appointment) VALUES (?, ?) ON CONFLICT DO NOTHING",
                  ref,
                  id)
              : insertH2(ref, id);
      if (inserted != 1) {
        throw new ResourceVersionConflictException(
            "Double booking refused: " + ref + " is already booked");
      }
    }
  }

  private int insertH2(String slot, String id) {
    List<String> taken =
        jdbc.queryForList(
            "SELECT appointment FROM televisit.booked_slot WHERE slot = ? FOR UPDATE",
            String.class,
            slot);
    if (!taken.isEmpty()) {
      return 0;
    }
    return jdbc.update(
        "INSERT INTO televisit.booked_slot (slot, appointment) VALUES (?, ?)", slot, id);
  }

  private static final String BOOK =
      "INSERT INTO televisit.booked_time (appointment, actor, starts_at, ends_at)"
          + " SELECT CAST(? AS varchar), CAST(? AS varchar), CAST(? AS timestamp with time zone), CAST(? AS timestamp with time zone)"
          + " WHERE NOT EXISTS ("
          + OVERLAP
          + ")";

  /**
   * The first key of the calendar locks: Televisit's bookings, apart from anyone else's advisory
   * locks.
   */
  static final int CALENDAR_LOCKS = 0x54565343;

  /**
   * Locks the actor's calendar, then books the time if it is free; false if it is not. The check
   * runs after the lock is granted, as its own statement: under READ COMMITTED it then sees every
   * booking committed before (in the lock's statement, as a CTE, it would not).
   */
  private boolean lockAndBook(String id, String actor, Timestamp start, Timestamp end) {
    if (!postgres) {
      jdbc.update("MERGE INTO televisit.booking_calendar KEY (actor) VALUES (?)", actor);
      jdbc.queryForList(
          "SELECT actor FROM televisit.booking_calendar WHERE actor = ? FOR UPDATE",
          String.class,
          actor);
      return jdbc.update(BOOK, id, actor, start, end, actor, end, start, id) == 1;
    }
    // A transaction-scoped advisory lock per actor (no row written, released by commit or
    // rollback),
    // and both statements in one round trip: each still runs with its own snapshot, in order.
    Integer booked =
        jdbc.execute(
            "SELECT pg_advisory_xact_lock(CAST(? AS integer), hashtext(CAST(? AS text)));\n" + BOOK,
            (PreparedStatement st) -> {
              new ArgumentPreparedStatementSetter(
                      new Object[] {
                        CALENDAR_LOCKS, actor, id, actor, start, end, actor, end, start, id
                      })
                  .setValues(st);
              st.execute(); // the lock's one row
              st.getMoreResults();
              return st.getUpdateCount();
            });
    return booked != null && booked == 1;
  }

  /** Frees the time and the Slots of a deleted Appointment. */
  public void release(Appointment deleted) {
    release(Appointments.reference(deleted));
  }

  private void release(String appointment) {
    jdbc.update("DELETE FROM televisit.booked_time WHERE appointment = ?", appointment);
    jdbc.update("DELETE FROM televisit.booked_slot WHERE appointment = ?", appointment);
  }
}
