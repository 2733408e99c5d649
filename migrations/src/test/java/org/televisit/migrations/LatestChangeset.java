package org.televisit.migrations;

import java.util.List;

/** The tables the latest changeset creates; update it with every new changeset. */
final class LatestChangeset {
  static final List<String> TABLES = List.of("video_room", "video_participant");

  private LatestChangeset() {}
}
