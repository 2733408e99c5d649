package org.televisit.visits.audit;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.televisit.visits.storage.TransactionWrites;

/**
 * Televisit's audit trail: every event is one row of {@code televisit.audit_event} (plus its search
 * entries), only ever inserted, and served as /fhir/AuditEvent by {@link AuditEvents}.
 *
 * <p>The record of a change (a booking, a cancel, a visit's steps) is inserted in the change's
 * transaction, so it commits or rolls back with it ({@link #withChange}); a decision that changed
 * nothing (a sign-in, a token, a refusal, a join-link check) is committed on a connection of its
 * own before the caller answers, so a caller's rollback cannot take it along ({@link #later}; every
 * such caller records outside a transaction, so no thread ever holds two of the pool's
 * connections). Either way an event is searchable the moment its transaction commits: no queue, no
 * second copy.
 */
@Component
public class AuditTrail {

  private static final FhirContext R4 = FhirContext.forR4Cached();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectWriter RECORD_WRITER = JSON.writerFor(AuditRecord.class);
  private static final ObjectReader RECORD_READER = JSON.readerFor(AuditRecord.class);
  private static final String INSERT_EVENT =
      "INSERT INTO televisit.audit_event"
          + " (recorded, type_system, type_code, action, outcome, event) VALUES (?, ?, ?, ?, ?, ?)";
  private static final String INSERT_ENTRY =
      "INSERT INTO televisit.audit_event_index (event_id, param, value_system, value_code) VALUES (?, ?, ?, ?)";

  private final DataSource dataSource;
  private final JdbcTemplate jdbc;
  private final TransactionWrites writes;
  private final boolean postgres;

  AuditTrail(DataSource dataSource, JdbcTemplate jdbc, TransactionWrites writes) {
    this.dataSource = dataSource;
    this.jdbc = jdbc;
    this.writes = writes;
    this.postgres = writes.onPostgres();
  }

  /**
   * Records an event that changed nothing (so has no transaction to join): durable when this
   * returns.
   */
  public void later(AuditRecord record) {
    onItsOwn(AuditEventEntries.of(record.toAuditEvent()), json(record), null, false);
  }

  /**
   * Records the event of a change in the change's own transaction (the caller's, when there is
   * one): the record commits or rolls back with what it records. On PostgreSQL it is one statement,
   * sent with the change's other rows just before the commit ({@link TransactionWrites}).
   */
  public void withChange(AuditRecord record) {
    AuditEventEntries entries = AuditEventEntries.of(record.toAuditEvent());
    String json = json(record);
    if (postgres && !entries.index().isEmpty()) {
      writes.add(withEntries(entries.index().size()), arguments(entries, json).toArray());
      return;
    }
    jdbc.execute(
        (Connection c) -> {
          if (!c.getAutoCommit()) {
            insert(c, entries, json);
          } else {
            committed(
                c,
                () -> { // no transaction to join: the event and its entries still commit together
                  insert(c, entries, json);
                  return null;
                });
          }
          return null;
        });
  }

  /**
   * Records an AuditEvent an app posted, with the entries taken from it when it was checked;
   * returns its id.
   */
  long posted(AuditEvent event, AuditEventEntries entries) {
    AuditEvent stored = event.copy();
    stored.setIdElement(null); // the trail gives it its id; id and meta are not among the entries
    stored.setMeta(null);
    return onItsOwn(entries, R4.newJsonParser().encodeResourceToString(stored), null, true);
  }

  /**
   * Copies an event kept elsewhere by an earlier version (HAPI's store, the old queue); {@code
   * from} names it, so a copy interrupted and run again adds nothing twice. Returns false if it was
   * there.
   */
  boolean moveIn(AuditEvent event, String json, String from) {
    Integer there =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM televisit.audit_event_moved WHERE source = ?",
            Integer.class,
            from);
    if (there != null && there > 0) {
      return false;
    }
    onItsOwn(AuditEventEntries.of(event), json, from, true);
    return true;
  }

  /** Commits an event on a connection of its own; returns its id when asked to (else 0). */
  private long onItsOwn(AuditEventEntries entries, String json, String from, boolean needId) {
    try (Connection c = dataSource.getConnection()) {
      if (!needId && postgres) {
        c.setAutoCommit(true);
        insert(c, entries, json);
        return 0;
      }
      return committed(
          c,
          () -> {
            long id = insertReturningId(c, entries, json);
            if (from != null) {
              try (PreparedStatement st =
                  c.prepareStatement(
                      "INSERT INTO televisit.audit_event_moved (source, event_id) VALUES (?, ?)")) {
                st.setString(1, from);
                st.setLong(2, id);
                st.executeUpdate();
              }
            }
            return id;
          });
    } catch (SQLException e) {
      throw new IllegalStateException(
          "the audit trail could not record an event: " + e.getMessage(), e);
    }
  }

  private interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** Runs work on an auto-commit connection as one transaction. */
  private static <T> T committed(Connection c, SqlWork<T> work) throws SQLException {
    c.setAutoCommit(false);
    try {
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * Inserts an event whose id nobody needs: on PostgreSQL the event and its search entries in one
   * statement.
   */
  private void insert(Connection c, AuditEventEntries entries, String json) throws SQLException {
    if (!postgres || entries.index().isEmpty()) {
      insertReturningId(c, entries, json);
      return;
    }
    try (PreparedStatement st = c.prepareStatement(withEntries(entries.index().size()))) {
      new ArgumentPreparedStatementSetter(arguments(entries, json).toArray()).setValues(st);
      st.executeUpdate();
    }
  }

  /** PostgreSQL: the event and its {@code entries} search rows as one data-modifying statement. */
  private static String withEntries(int entries) {
    StringBuilder sql =
        new StringBuilder("WITH e AS (")
            .append(INSERT_EVENT)
            .append(
                " RETURNING id)"
                    + " INSERT INTO televisit.audit_event_index (event_id, param, value_system, value_code)"
                    + " SELECT e.id, v.param, v.value_system, v.value_code FROM e, (VALUES ");
    for (int i = 0; i < entries; i++) {
      sql.append(i == 0 ? "" : ", ")
          .append("(CAST(? AS varchar), CAST(? AS varchar), CAST(? AS varchar))");
    }
    return sql.append(") AS v (param, value_system, value_code)").toString();
  }

  /** The arguments of {@link #withEntries}: the event's columns, then each entry's three. */
  private static List<Object> arguments(AuditEventEntries entries, String json) {
    List<Object> args =
        new ArrayList<>(
            Arrays.asList(
                Timestamp.from(entries.recorded()),
                entries.typeSystem(),
                entries.typeCode(),
                entries.action(),
                entries.outcome(),
                json));
    for (AuditEventEntries.Entry e : entries.index()) {
      args.add(e.param());
      args.add(e.system());
      args.add(e.value());
    }
    return args;
  }

  private static long insertReturningId(Connection c, AuditEventEntries entries, String json)
      throws SQLException {
    long id;
    try (PreparedStatement st = c.prepareStatement(INSERT_EVENT, new String[] {"id"})) {
      // the event's columns, without its entries
      new ArgumentPreparedStatementSetter(arguments(entries, json).subList(0, 6).toArray())
          .setValues(st);
      st.executeUpdate();
      try (ResultSet keys = st.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
    }
    if (!entries.index().isEmpty()) {
      try (PreparedStatement st = c.prepareStatement(INSERT_ENTRY)) {
        for (AuditEventEntries.Entry e : entries.index()) {
          st.setLong(1, id);
          st.setString(2, e.param());
          st.setString(3, e.system());
          st.setString(4, e.value());
          st.addBatch();
        }
        st.executeBatch();
      }
    }
    return id;
  }

  private static String json(AuditRecord record) {
    try {
      return RECORD_WRITER.writeValueAsString(record);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an audit record could not be written as JSON", e);
    }
  }

  /** One AuditEvent by id, if there is one. */
  Optional<AuditEvent> read(long id) {
    List<AuditEvent> found =
        jdbc.query(
            "SELECT id, recorded, event FROM televisit.audit_event WHERE id = ?",
            (rs, n) -> toAuditEvent(rs),
            id);
    return found.stream().findFirst();
  }

  /** The AuditEvents a search matches, one page of them, and how many it matches in all. */
  AuditEventPage search(AuditEventSearch search, int offset, int count) {
    List<Object> args = new ArrayList<>();
    String where = search.where(args);
    Integer total =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM televisit.audit_event e" + where, Integer.class, args.toArray());
    List<Object> pageArgs = new ArrayList<>(args);
    pageArgs.add(count);
    pageArgs.add(offset);
    List<AuditEvent> events =
        count == 0
            ? List.of()
            : jdbc.query(
                "SELECT e.id, e.recorded, e.event FROM televisit.audit_event e"
                    + where
                    + " ORDER BY "
                    + search.order()
                    + " LIMIT ? OFFSET ?",
                (rs, n) -> toAuditEvent(rs),
                pageArgs.toArray());
    return new AuditEventPage(events, total == null ? 0 : total);
  }

  record AuditEventPage(List<AuditEvent> events, int total) {}

  private static AuditEvent toAuditEvent(ResultSet rs) throws SQLException {
    AuditEvent event = parse(rs.getString(3));
    event.setIdElement(new IdType("AuditEvent", String.valueOf(rs.getLong(1)), "1"));
    event.setMeta(new Meta().setVersionId("1").setLastUpdated(rs.getTimestamp(2)));
    return event;
  }

  /**
   * A row holds Televisit's compact record, or the FHIR JSON of an event posted by an app (or moved
   * in).
   */
  static AuditEvent parse(String json) {
    if (json.startsWith("{\"resourceType\"")) {
      return R4.newJsonParser().parseResource(AuditEvent.class, json);
    }
    try {
      return RECORD_READER.<AuditRecord>readValue(json).toAuditEvent();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "an audit trail row is not an audit record: " + e.getOriginalMessage(), e);
    }
  }
}
