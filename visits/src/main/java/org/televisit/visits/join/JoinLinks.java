package org.televisit.visits.join;

import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.televisit.visits.storage.TransactionWrites;

/**
 * Join links: https://{public}/join/{token}, the token 256 random bits, stored only as its SHA-256
 * hash. Valid from {@code opensBefore} the visit's start until {@code closesAfter} its end, on any
 * device, until revoked (cancel, reschedule, or on demand) or locked (too many failed birth-date
 * checks, counted in the database).
 */
@Component
public class JoinLinks {

  private static final SecureRandom random = new SecureRandom();
  private static final String SELECT =
      "SELECT link_hash, appointment, participant, role, display, clinician, starts_at, not_before,"
          + " not_after, failed_checks, locked_at, revoked_at FROM televisit.join_link";

  private final JdbcTemplate jdbc;
  private final TransactionWrites writes;
  private final JoinProperties properties;
  private final Clock clock;

  JoinLinks(JdbcTemplate jdbc, TransactionWrites writes, JoinProperties properties) {
    this.jdbc = jdbc;
    this.writes = writes;
    this.properties = properties;
    this.clock = Clock.systemUTC();
  }

  /**
   * Issues a link and returns its token (the only time it exists in clear outside the outbox). In a
   * transaction the row is written when it commits, like the rest of the change.
   */
  public String issue(
      String appointment,
      String participant,
      String role,
      String clinician,
      Instant start,
      Instant end) {
    return issue(appointment, participant, role, null, clinician, start, end);
  }

  /**
   * A link for someone named only here (an invited guest): display is the name the clinician gave.
   */
  public String issue(
      String appointment,
      String participant,
      String role,
      String display,
      String clinician,
      Instant start,
      Instant end) {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String token = Base64URL.encode(bytes).toString();
    writes.add(
        "INSERT INTO televisit.join_link (link_hash, appointment, participant, role, display, clinician, starts_at,"
            + " not_before, not_after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        hash(token),
        appointment,
        participant,
        role,
        display,
        clinician,
        Timestamp.from(start),
        Timestamp.from(start.minus(properties.opensBefore())),
        Timestamp.from(end.plus(properties.closesAfter())),
        Timestamp.from(clock.instant()));
    return token;
  }

  /** 128 random bits, URL-safe: the key of an invited guest, which names nobody. */
  static String randomKey() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    return Base64URL.encode(bytes).toString();
  }

  /**
   * Revokes one person's live links to a visit (an invited guest who should not come after all).
   */
  public int revoke(String appointment, String participant) {
    return jdbc.update(
        "UPDATE televisit.join_link SET revoked_at = ? WHERE appointment = ? AND participant = ? AND revoked_at IS NULL",
        Timestamp.from(clock.instant()),
        appointment,
        participant);
  }

  /** Revokes every live link of a visit; returns how many. */
  public int revokeAll(String appointment) {
    return jdbc.update(
        "UPDATE televisit.join_link SET revoked_at = ? WHERE appointment = ? AND revoked_at IS NULL",
        Timestamp.from(clock.instant()),
        appointment);
  }

  public Optional<JoinLink> find(String token) {
    if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
      return Optional.empty();
    }
    List<JoinLink> links =
        jdbc.query(SELECT + " WHERE link_hash = ?", JoinLinks::read, hash(token));
    return links.stream().findFirst();
  }

  /** The link a browser session holds (the session keeps the hash, never the token). */
  public Optional<JoinLink> byHash(String hash) {
    return hash == null
        ? Optional.empty()
        : jdbc.query(SELECT + " WHERE link_hash = ?", JoinLinks::read, hash).stream().findFirst();
  }

  public List<JoinLink> ofAppointment(String appointment) {
    return jdbc.query(
        SELECT + " WHERE appointment = ? ORDER BY created_at", JoinLinks::read, appointment);
  }

  /**
   * Claims one identity check of a link, in one statement: false once the link is locked or its
   * checks are used up. The claim counts as a failure until {@link #attemptSucceeded} takes it
   * back.
   */
  public boolean claimAttempt(JoinLink link) {
    return jdbc.update(
            "UPDATE televisit.join_link SET failed_checks = failed_checks + 1 WHERE link_hash = ?"
                + " AND locked_at IS NULL AND failed_checks < ?",
            link.hash(),
            properties.maxFailedChecks())
        == 1;
  }

  /** The claimed check matched: it is not a failure. */
  public void attemptSucceeded(JoinLink link) {
    jdbc.update(
        "UPDATE televisit.join_link SET failed_checks = failed_checks - 1 WHERE link_hash = ? AND failed_checks > 0",
        link.hash());
  }

  /**
   * After a failed check: locks the link once its checks are used up; true when this call locked
   * it.
   */
  public boolean lockIfSpent(JoinLink link) {
    int locked =
        jdbc.update(
            "UPDATE televisit.join_link SET locked_at = ? WHERE link_hash = ? AND locked_at IS NULL"
                + " AND failed_checks >= ?",
            Timestamp.from(clock.instant()),
            link.hash(),
            properties.maxFailedChecks());
    return locked == 1;
  }

  static String hash(String token) {
    try {
      return Base64URL.encode(
              MessageDigest.getInstance("SHA-256")
                  .digest(token.getBytes(StandardCharsets.US_ASCII)))
          .toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JoinLink read(ResultSet rs, int row) throws SQLException {
    return new JoinLink(
        rs.getString("link_hash"),
        rs.getString("appointment"),
        rs.getString("participant"),
        rs.getString("role"),
        rs.getString("display"),
        rs.getString("clinician"),
        instant(rs, "starts_at"),
        instant(rs, "not_before"),
        instant(rs, "not_after"),
        rs.getInt("failed_checks"),
        instant(rs, "locked_at"),
        instant(rs, "revoked_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
