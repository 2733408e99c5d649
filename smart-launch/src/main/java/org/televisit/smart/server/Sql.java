package org.televisit.smart.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The few JDBC shapes the authorization server's tables need; plain JDBC keeps this module
 * Spring-free.
 */
final class Sql {

  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private final DataSource dataSource;

  Sql(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  int update(String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      bind(st, params);
      return st.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("authorization server store: " + e.getMessage(), e);
    }
  }

  /** An insert that may hit a unique key: false when the row was already there. */
  boolean insertUnique(String sql, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      bind(st, params);
      st.executeUpdate();
      return true;
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState()) || "23001".equals(e.getSQLState())) {
        return false;
      }
      throw new IllegalStateException("authorization server store: " + e.getMessage(), e);
    }
  }

  <T> Optional<T> one(String sql, Row<T> row, Object... params) {
    List<T> all = list(sql, row, params);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }

  <T> List<T> list(String sql, Row<T> row, Object... params) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      bind(st, params);
      try (ResultSet rs = st.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.read(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("authorization server store: " + e.getMessage(), e);
    }
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }

  private static void bind(PreparedStatement st, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Instant instant) {
        st.setTimestamp(i + 1, Timestamp.from(instant));
      } else {
        st.setObject(i + 1, p);
      }
    }
  }
}
