package org.televisit.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What rolling back the latest changeset must leave behind; update it with every new changeset. */
final class LatestChangeset {

  /** 010 created audit_queue; its rollback drops it and keeps 009's ehr_visit. */
  static boolean undone(Connection connection) throws SQLException {
    return !tableExists(connection, "audit_queue") && tableExists(connection, "ehr_visit");
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
