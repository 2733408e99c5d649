package org.televisit.visits.presence;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.televisit.fhir.Database;

/**
 * Presence in a visit, stored per room key and participant: waiting, connected, media-lost, left,
 * and since when. Janus may deliver events twice or out of order, so a change older than what is
 * stored is ignored and a repeated state keeps its original "since". Each change is announced:
 * through PostgreSQL NOTIFY to every app node (see {@link PresenceListener}), or directly to this
 * node's consoles on a single-node H2 run.
 */
@Component
public class Presence {

  public static final String CHANNEL = "televisit_presence";

  public record Entry(String participant, String state, Instant since) {}

  private record Stored(String state, Instant updatedAt) {}

  private final JdbcTemplate jdbc;
  private final TransactionTemplate transaction;
  private final PresenceHub hub;
  private final boolean postgres;

  Presence(JdbcTemplate jdbc, PlatformTransactionManager transactions, PresenceHub hub) {
    this.jdbc = jdbc;
    this.transaction = new TransactionTemplate(transactions);
    this.hub = hub;
    this.postgres = Database.of(jdbc.getDataSource()) == Database.POSTGRESQL;
  }

  /** Records a state; returns false when it was older than what is stored (out of order). */
  public boolean record(String visitKey, String participant, String state, Instant at) {
    Boolean changed =
        transaction.execute(
            status -> {
              // read through getTimestamp: the drivers' own objects differ (H2 gives
              // OffsetDateTime, PgJDBC Timestamp)
              List<Stored> rows =
                  jdbc.query(
                      "SELECT state, updated_at FROM televisit.presence"
                          + " WHERE visit_key = ? AND participant = ? FOR UPDATE",
                      (rs, n) ->
                          new Stored(
                              rs.getString("state"), rs.getTimestamp("updated_at").toInstant()),
                      visitKey,
                      participant);
              Timestamp when = Timestamp.from(at);
              if (rows.isEmpty()) {
                jdbc.update(
                    "INSERT INTO televisit.presence (visit_key, participant, state, since, updated_at) VALUES (?, ?, ?, ?, ?)",
                    visitKey,
                    participant,
                    state,
                    when,
                    when);
              } else {
                if (at.isBefore(rows.get(0).updatedAt())) {
                  return false;
                }
                if (state.equals(rows.get(0).state())) {
                  jdbc.update(
                      "UPDATE televisit.presence SET updated_at = ? WHERE visit_key = ? AND participant = ?",
                      when,
                      visitKey,
                      participant);
                  return false;
                }
                jdbc.update(
                    "UPDATE televisit.presence SET state = ?, since = ?, updated_at = ? WHERE visit_key = ? AND participant = ?",
                    state,
                    when,
                    when,
                    visitKey,
                    participant);
              }
              if (postgres) {
                jdbc.queryForList("SELECT pg_notify(?, ?)", CHANNEL, visitKey);
              }
              return true;
            });
    if (Boolean.TRUE.equals(changed) && !postgres) {
      hub.changed(visitKey);
    }
    return Boolean.TRUE.equals(changed);
  }

  /** Marks someone waiting unless they are already connected (a reload of the waiting room). */
  public void waiting(String visitKey, String participant) {
    String current = state(visitKey, participant);
    if (current == null || "left".equals(current)) {
      record(visitKey, participant, "waiting", Instant.now());
    }
  }

  public String state(String visitKey, String participant) {
    List<String> s =
        jdbc.queryForList(
            "SELECT state FROM televisit.presence WHERE visit_key = ? AND participant = ?",
            String.class,
            visitKey,
            participant);
    return s.isEmpty() ? null : s.get(0);
  }

  public List<Entry> snapshot(String visitKey) {
    return jdbc.query(
        "SELECT participant, state, since FROM televisit.presence WHERE visit_key = ? ORDER BY since",
        (rs, n) ->
            new Entry(
                rs.getString("participant"),
                rs.getString("state"),
                rs.getTimestamp("since").toInstant()),
        visitKey);
  }

  public void forget(String visitKey) {
    jdbc.update("DELETE FROM televisit.presence WHERE visit_key = ?", visitKey);
  }

  boolean postgres() {
    return postgres;
  }
}
