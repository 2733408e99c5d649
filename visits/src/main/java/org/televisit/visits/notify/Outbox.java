package org.televisit.visits.notify;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.televisit.video.rooms.SecretSeal;
import org.televisit.visits.storage.TransactionWrites;

/**
 * The outbox of notifications (table televisit.outbox). A message is queued in the same database
 * transaction as the change that causes it, so it is sent if and only if that change commits. The
 * payload holds a join link, so it is sealed (JWE) at rest and wiped once sent.
 */
@Component
public class Outbox {

  /**
   * Thrown by a channel for a message that no retry can deliver (the receiver refused it for good,
   * or the credentials to send it are gone): the outbox records why and stops trying.
   */
  public static class Undeliverable extends RuntimeException {
    public Undeliverable(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /**
   * A message still to deliver: neither sent nor given up (the sender and the metrics agree on it).
   */
  static final String WAITING = "sent_at IS NULL AND given_up_at IS NULL";

  /** One queued message, its payload opened. */
  public record Message(
      String id,
      String channel,
      String appointment,
      String recipient,
      String payload,
      int attempts) {}

  private final JdbcTemplate jdbc;
  private final TransactionWrites writes;
  private final SecretSeal seal;
  private final Clock clock = Clock.systemUTC();

  Outbox(JdbcTemplate jdbc, TransactionWrites writes, OutboxKey key) {
    this.jdbc = jdbc;
    this.writes = writes;
    this.seal = key.seal();
  }

  /** Queues a message; in a transaction its row is written when the transaction commits. */
  public String enqueue(String channel, String appointment, String recipient, String payload) {
    String id = UUID.randomUUID().toString();
    Instant now = clock.instant();
    writes.add(
        "INSERT INTO televisit.outbox (id, channel, appointment, recipient, payload, next_attempt_at, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        id,
        channel,
        appointment,
        recipient,
        seal.seal(payload),
        Timestamp.from(now),
        Timestamp.from(now));
    return id;
  }

  /**
   * Claims up to {@code limit} due messages for {@code lease}: a claim is a conditional update, so
   * two app nodes never send the same message at once; a node that dies mid-send lets the lease run
   * out.
   */
  List<Message> claimDue(Collection<String> channels, int limit, Duration lease) {
    if (channels.isEmpty()) {
      return List.of();
    }
    Timestamp now = Timestamp.from(clock.instant());
    List<Object> args = new ArrayList<>(List.of(now, now));
    args.addAll(channels);
    args.add(limit); // a backlog (SMTP down for hours) is claimed a batch at a time, not read whole
    // every second
    List<String> due =
        jdbc.queryForList(
            "SELECT id FROM televisit.outbox WHERE "
                + WAITING
                + " AND next_attempt_at <= ?"
                + " AND (claimed_until IS NULL OR claimed_until < ?) AND channel IN ("
                + String.join(", ", Collections.nCopies(channels.size(), "?"))
                + ") ORDER BY next_attempt_at LIMIT ?",
            String.class,
            args.toArray());
    Timestamp until = Timestamp.from(clock.instant().plus(lease));
    return due.stream()
        .filter(
            id ->
                jdbc.update(
                        "UPDATE televisit.outbox SET claimed_until = ? WHERE id = ? AND sent_at IS NULL"
                            + " AND (claimed_until IS NULL OR claimed_until < ?)",
                        until,
                        id,
                        now)
                    == 1)
        .map(
            id ->
                jdbc.queryForObject(
                    "SELECT id, channel, appointment, recipient, payload, attempts FROM televisit.outbox WHERE id = ?",
                    (rs, n) ->
                        new Message(
                            rs.getString("id"),
                            rs.getString("channel"),
                            rs.getString("appointment"),
                            rs.getString("recipient"),
                            seal.open(rs.getString("payload")),
                            rs.getInt("attempts")),
                    id))
        .toList();
  }

  void sent(Message message) {
    jdbc.update(
        "UPDATE televisit.outbox SET sent_at = ?, payload = NULL, claimed_until = NULL, last_error = NULL WHERE id = ?",
        Timestamp.from(clock.instant()),
        message.id());
  }

  /** No more attempts: the payload is wiped as for a sent message, the reason kept. */
  void gaveUp(Message message, String reason) {
    jdbc.update(
        "UPDATE televisit.outbox SET given_up_at = ?, payload = NULL, claimed_until = NULL, attempts = attempts + 1,"
            + " last_error = ? WHERE id = ?",
        Timestamp.from(clock.instant()),
        reason == null ? null : reason.substring(0, Math.min(500, reason.length())),
        message.id());
  }

  /** Backs off 2^attempts times {@code base}, at most an hour. */
  void failed(Message message, String error, Duration base) {
    int attempts = message.attempts() + 1;
    long seconds = Math.min(3600, base.toSeconds() * (1L << Math.min(attempts - 1, 12)));
    jdbc.update(
        "UPDATE televisit.outbox SET attempts = ?, next_attempt_at = ?, claimed_until = NULL, last_error = ? WHERE id = ?",
        attempts,
        Timestamp.from(clock.instant().plusSeconds(Math.max(1, seconds))),
        error == null ? null : error.substring(0, Math.min(500, error.length())),
        message.id());
  }
}
