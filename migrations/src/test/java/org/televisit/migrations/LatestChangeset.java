package org.televisit.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What rolling back the latest changeset must leave behind; update it with every new changeset. */
final class LatestChangeset {

  /**
   * 014 replaced the outbox's (sent_at, next_attempt_at) index by one led by channel; its rollback
   * restores it.
   */
  static boolean undone(Connection connection) throws SQLException {
    return indexExists(connection, "outbox", "ix_outbox_due")
        && !indexExists(connection, "outbox", "ix_outbox_channel_due")
        && indexExists(connection, "booked_time", "ix_booked_time_actor_end")
        && tableExists(connection, "audit_event");
  }

  private static boolean indexExists(Connection connection, String table, String index)
      throws SQLException {
    for (String schema : new String[] {"televisit", "TELEVISIT"}) {
      for (String name : new String[] {table, table.toUpperCase()}) {
        try (ResultSet rs =
            connection.getMetaData().getIndexInfo(null, schema, name, false, false)) {
          while (rs.next()) {
            if (index.equalsIgnoreCase(rs.getString("INDEX_NAME"))) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  private static boolean tableExists(Connection connection, String table) throws SQLException {
    for (String schema : new String[] {"televisit", "TELEVISIT"}) {
      for (String name : new String[] {table, table.toUpperCase()}) {
        try (ResultSet rs = connection.getMetaData().getTables(null, schema, name, null)) {
          if (rs.next()) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private LatestChangeset() {}
}
