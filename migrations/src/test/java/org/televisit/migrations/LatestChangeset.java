package org.televisit.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What rolling back the latest changeset must leave behind; update it with every new changeset. */
final class LatestChangeset {

  /** 012 added the audit trail's tables; its rollback drops them and keeps 011's outbox.given_up_at. */
  static boolean undone(Connection connection) throws SQLException {
    return !tableExists(connection, "audit_event") && !tableExists(connection, "audit_event_index")
        && !tableExists(connection, "upgrade_step") && !tableExists(connection, "audit_event_moved")
        && columnExists(connection, "outbox", "given_up_at");
  }

  private static boolean columnExists(Connection connection, String table, String column) throws SQLException {
    for (String schema : new String[] {"televisit", "TELEVISIT"}) {
      for (String[] names : new String[][] {{table, column}, {table.toUpperCase(), column.toUpperCase()}}) {
        try (ResultSet rs = connection.getMetaData().getColumns(null, schema, names[0], names[1])) {
          if (rs.next()) {
            return true;
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
