package org.televisit.video.rooms;

import java.time.Instant;

/** A visit's Janus room as recorded: which node holds it, its id there, and its secrets. */
public record VideoRoom(
    String visitKey, String nodeId, long janusRoom, String secret, String pin, Instant createdAt) {

  @Override
  public String toString() {
    return "VideoRoom[" + nodeId + "/" + janusRoom + "]"; // never the secret or pin
  }
}
