package org.televisit.video.rooms;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Rooms and admissions in Televisit's tables (schema televisit, see the migrations module), so that
 * any app node can act on any room. Room secrets, pins and Janus tokens are sealed before they are
 * written ({@link SecretSeal}). Plain JDBC: the video module knows no Spring.
 */
public class RoomDirectory {

  private static final String ROOM =
      "SELECT visit_key, node_id, janus_room, secret, pin, created_at FROM televisit.video_room";

  private static final String ADMISSION =
      "SELECT p.visit_key, p.participant, p.role, p.display, p.janus_token, p.feed_id, p.opaque_id,"
          + " p.admitted_at, p.revoked_at FROM televisit.video_participant p";

  private final DataSource dataSource;
  private final SecretSeal seal;

  public RoomDirectory(DataSource dataSource, SecretSeal seal) {
    this.dataSource = dataSource;
    this.seal = seal;
  }

  /** Work done while holding a freshly inserted room row; a concurrent claim waits for it. */
  @FunctionalInterface
  public interface Creation {
    void create() throws Exception;
  }

  /**
   * Inserts the room and runs {@code creation} (the Janus call) before committing. A concurrent
   * claim of the same visit blocks on the key until this commits, then finds the room; if creation
   * fails the insert rolls back and nothing is left behind. Returns false when the visit already
   * has a room.
   */
  public boolean claim(VideoRoom room, Creation creation) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement st =
            c.prepareStatement(
                "INSERT INTO televisit.video_room (visit_key, node_id, janus_room, secret, pin, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
          st.setString(1, room.visitKey());
          st.setString(2, room.nodeId());
          st.setLong(3, room.janusRoom());
          st.setString(4, seal.seal(room.secret()));
          st.setString(5, seal.seal(room.pin()));
          st.setTimestamp(6, Timestamp.from(room.createdAt()));
          st.executeUpdate();
        } catch (SQLException e) {
          c.rollback();
          if (isDuplicate(e)) {
            return false;
          }
          throw e;
        }
        creation.create();
        c.commit();
        return true;
      } catch (Exception e) {
        c.rollback();
        throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("room directory: " + e.getMessage(), e);
    }
  }

  public Optional<VideoRoom> find(String visitKey) {
    return query(ROOM + " WHERE visit_key = ?", st -> st.setString(1, visitKey), this::room)
        .stream()
        .findFirst();
  }

  /** The visits whose rooms are on a node. */
  public List<String> visitsOn(String nodeId) {
    return query(
        "SELECT visit_key FROM televisit.video_room WHERE node_id = ? ORDER BY visit_key",
        st -> st.setString(1, nodeId),
        rs -> rs.getString(1));
  }

  /** Re-creates a lost room; runs while the room's row is locked. */
  @FunctionalInterface
  public interface Mover {
    VideoRoom move(VideoRoom current) throws Exception;
  }

  /**
   * Moves the room while holding its row lock, so that two app nodes noticing the same dead node do
   * not both re-create it: the second one waits, then finds the room already moved and returns
   * that. Returns empty when the room was closed meanwhile.
   */
  public Optional<VideoRoom> moveIfStill(VideoRoom seen, Mover mover) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        VideoRoom current;
        try (PreparedStatement st = c.prepareStatement(ROOM + " WHERE visit_key = ? FOR UPDATE")) {
          st.setString(1, seen.visitKey());
          try (ResultSet rs = st.executeQuery()) {
            current = rs.next() ? room(rs) : null;
          }
        }
        if (current == null) {
          c.rollback();
          return Optional.empty();
        }
        if (!current.nodeId().equals(seen.nodeId()) || current.janusRoom() != seen.janusRoom()) {
          c.commit();
          return Optional.of(current);
        }
        VideoRoom moved = mover.move(current);
        try (PreparedStatement st =
            c.prepareStatement(
                "UPDATE televisit.video_room SET node_id = ?, janus_room = ?, moved_at = ? WHERE visit_key = ?")) {
          st.setString(1, moved.nodeId());
          st.setLong(2, moved.janusRoom());
          st.setTimestamp(3, Timestamp.from(Instant.now()));
          st.setString(4, moved.visitKey());
          st.executeUpdate();
        }
        c.commit();
        return Optional.of(moved);
      } catch (Exception e) {
        c.rollback();
        throw e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("room directory: " + e.getMessage(), e);
    }
  }

  public void delete(String visitKey) {
    update("DELETE FROM televisit.video_room WHERE visit_key = ?", st -> st.setString(1, visitKey));
  }

  /** Rooms per node, for placement. */
  public Map<String, Integer> roomsPerNode() {
    Map<String, Integer> counts = new HashMap<>();
    query(
            "SELECT node_id, COUNT(*) FROM televisit.video_room GROUP BY node_id",
            st -> {},
            rs -> Map.entry(rs.getString(1), rs.getInt(2)))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  private void bindAdmission(PreparedStatement st, Admission a) throws SQLException {
    st.setString(1, a.visitKey());
    st.setString(2, a.participant());
    st.setString(3, a.role());
    st.setString(4, a.display());
    st.setString(5, seal.seal(a.janusToken()));
    st.setLong(6, a.feedId());
    st.setString(7, a.opaqueId());
    st.setTimestamp(8, Timestamp.from(a.admittedAt()));
  }

  /**
   * Records an admission, replacing an earlier one of the same participant (a rejoin gets a fresh
   * token): one upsert statement, in each database's own syntax.
   */
  public void readmit(Admission a) {
    String sql =
        isPostgres()
            ? "INSERT INTO televisit.video_participant (visit_key, participant, role, display, janus_token,"
                + " feed_id, opaque_id, admitted_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)"
                + " ON CONFLICT (visit_key, participant) DO UPDATE SET role = EXCLUDED.role,"
                + " display = EXCLUDED.display, janus_token = EXCLUDED.janus_token, feed_id = EXCLUDED.feed_id,"
                + " opaque_id = EXCLUDED.opaque_id, admitted_at = EXCLUDED.admitted_at, revoked_at = NULL"
            : "MERGE INTO televisit.video_participant (visit_key, participant, role, display, janus_token,"
                + " feed_id, opaque_id, admitted_at, revoked_at) KEY (visit_key, participant)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)";
    update(sql, st -> bindAdmission(st, a));
  }

  /** The room of a visit and the participant's current admission, in one query. */
  public record RoomAndAdmission(VideoRoom room, Optional<Admission> admission) {}

  public Optional<RoomAndAdmission> roomAndAdmission(String visitKey, String participant) {
    return query(
            "SELECT r.visit_key, r.node_id, r.janus_room, r.secret, r.pin, r.created_at,"
                + " p.visit_key, p.participant, p.role, p.display, p.janus_token, p.feed_id, p.opaque_id,"
                + " p.admitted_at, p.revoked_at FROM televisit.video_room r"
                + " LEFT JOIN televisit.video_participant p ON p.visit_key = r.visit_key AND p.participant = ?"
                + " WHERE r.visit_key = ?",
            st -> {
              st.setString(1, participant);
              st.setString(2, visitKey);
            },
            rs ->
                new RoomAndAdmission(
                    room(rs),
                    rs.getString(7) == null ? Optional.empty() : Optional.of(admission(rs, 6))))
        .stream()
        .findFirst();
  }

  private volatile Boolean postgres;

  private boolean isPostgres() {
    if (postgres == null) {
      try (Connection c = dataSource.getConnection()) {
        postgres = "PostgreSQL".equals(c.getMetaData().getDatabaseProductName());
      } catch (SQLException e) {
        throw new IllegalStateException("room directory: " + e.getMessage(), e);
      }
    }
    return postgres;
  }

  public List<Admission> admissions(String visitKey) {
    return query(
        ADMISSION + " WHERE p.visit_key = ? ORDER BY p.admitted_at",
        st -> st.setString(1, visitKey),
        this::admission);
  }

  public Optional<Admission> byOpaqueId(String opaqueId) {
    return query(
            ADMISSION + " WHERE p.opaque_id = ?", st -> st.setString(1, opaqueId), this::admission)
        .stream()
        .findFirst();
  }

  /**
   * The admission behind a feed in a Janus room (events after a handle is gone carry only these).
   */
  public Optional<Admission> byRoomAndFeed(long janusRoom, long feedId) {
    return query(
            ADMISSION
                + " JOIN televisit.video_room r ON r.visit_key = p.visit_key"
                + " WHERE r.janus_room = ? AND p.feed_id = ?",
            st -> {
              st.setLong(1, janusRoom);
              st.setLong(2, feedId);
            },
            this::admission)
        .stream()
        .findFirst();
  }

  public void revoked(String visitKey, String participant) {
    update(
        "UPDATE televisit.video_participant SET revoked_at = ? WHERE visit_key = ? AND participant = ?"
            + " AND revoked_at IS NULL",
        st -> {
          st.setTimestamp(1, Timestamp.from(Instant.now()));
          st.setString(2, visitKey);
          st.setString(3, participant);
        });
  }

  // ---- plumbing

  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement st) throws SQLException;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      binder.bind(st);
      List<T> rows = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rows.add(mapper.map(rs));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("room directory: " + e.getMessage(), e);
    }
  }

  private void update(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      binder.bind(st);
      st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("room directory: " + e.getMessage(), e);
    }
  }

  private VideoRoom room(ResultSet rs) throws SQLException {
    return new VideoRoom(
        rs.getString(1),
        rs.getString(2),
        rs.getLong(3),
        seal.open(rs.getString(4)),
        seal.open(rs.getString(5)),
        rs.getTimestamp(6).toInstant());
  }

  private Admission admission(ResultSet rs) throws SQLException {
    return admission(rs, 0);
  }

  /** An admission from the row's columns after {@code offset} (visit_key ... revoked_at). */
  private Admission admission(ResultSet rs, int offset) throws SQLException {
    Timestamp revoked = rs.getTimestamp(offset + 9);
    return new Admission(
        rs.getString(offset + 1),
        rs.getString(offset + 2),
        rs.getString(offset + 3),
        rs.getString(offset + 4),
        seal.open(rs.getString(offset + 5)),
        rs.getLong(offset + 6),
        rs.getString(offset + 7),
        rs.getTimestamp(offset + 8).toInstant(),
        revoked == null ? null : revoked.toInstant());
  }

  private static boolean isDuplicate(SQLException e) {
    return "23505".equals(e.getSQLState());
  }
}
