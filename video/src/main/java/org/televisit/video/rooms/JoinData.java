package org.televisit.video.rooms;

/**
 * What a browser needs to join a visit's room with janus.js: the node's public URL, the room, its
 * pin, the participant's own Janus token, the feed id to publish under, and the opaque id that ties
 * Janus's events back to this participant. Secrets: never log it, never put it in a URL.
 */
public record JoinData(
    String janusUrl,
    long room,
    String pin,
    String token,
    long feedId,
    String opaqueId,
    String display,
    String role) {

  @Override
  public String toString() {
    return "JoinData[room " + room + ", " + role + "]";
  }
}
