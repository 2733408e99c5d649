package org.televisit.video.rooms;

import java.time.Instant;

/** One person admitted to a visit's room, with the Janus token and feed id issued to them. */
public record Admission(
    String visitKey,
    String participant,
    String role,
    String display,
    String janusToken,
    long feedId,
    String opaqueId,
    Instant admittedAt,
    Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }

  @Override
  public String toString() {
    return "Admission[" + role + " " + participant + (revoked() ? ", revoked" : "") + "]";
  }
}
