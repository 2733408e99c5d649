package org.televisit.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What rolling back the latest changeset must leave behind; update it with every new changeset. */
final class LatestChangeset {

  /** 006 created appointment_hold; its rollback drops it and keeps 005's scheduling tables. */
  static boolean undone(Connection connection) throws SQLException {
    return !tableExists(connection, "appointment_hold") && tableExists(connection, "booked_time")
        && tableExists(connection, "join_link");
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
