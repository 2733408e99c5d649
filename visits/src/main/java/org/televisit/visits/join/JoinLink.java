package org.televisit.visits.join;

import java.time.Instant;

/** A stored join link (never its token): whose it is, for which visit, and when it works. */
public record JoinLink(
    String hash, String appointment, String participant, String role, String clinician, Instant startsAt,
    Instant notBefore, Instant notAfter, int failedChecks, Instant lockedAt, Instant revokedAt) {

  public enum State { UNKNOWN, REVOKED, LOCKED, NOT_YET_OPEN, ENDED, OPEN }

  public State state(Instant now) {
    if (revokedAt != null) {
      return State.REVOKED;
    }
    if (lockedAt != null) {
      return State.LOCKED;
    }
    if (now.isBefore(notBefore)) {
      return State.NOT_YET_OPEN;
    }
    return now.isAfter(notAfter) ? State.ENDED : State.OPEN;
  }
}
