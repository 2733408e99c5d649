package org.televisit.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/** What rolling back the latest changeset must leave behind; update it with every new changeset. */
final class LatestChangeset {

  /** 003 widened the sealed-secret columns; its rollback narrows video_room.secret back to 128. */
  static boolean undone(Connection connection) throws SQLException {
    for (String schema : new String[] {"televisit", "TELEVISIT"}) {
      for (String table : new String[] {"video_room", "VIDEO_ROOM"}) {
        for (String column : new String[] {"secret", "SECRET"}) {
          try (ResultSet rs = connection.getMetaData().getColumns(null, schema, table, column)) {
            if (rs.next()) {
              return rs.getInt("COLUMN_SIZE") == 128;
            }
          }
        }
      }
    }
    throw new IllegalStateException("video_room.secret not found");
  }

  private LatestChangeset() {}
}
