package org.televisit.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What rolling back the latest changeset must leave behind; update it with every new changeset. */
final class LatestChangeset {

  /** 011 added outbox.given_up_at; its rollback drops the column and keeps 010's audit_queue. */
  static boolean undone(Connection connection) throws SQLException {
    return !columnExists(connection, "outbox", "given_up_at") && tableExists(connection, "audit_queue");
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
