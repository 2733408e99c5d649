package org.televisit.visits.join;

import java.time.Instant;

/**
 * A stored join link (never its token): whose it is, for which visit, and when it works. The
 * participant is a FHIR reference (Patient/1) or, for an invited guest, an opaque key (guest/...);
 * display is the name a guest was invited under (null for the patient, whose name is in FHIR).
 */
public record JoinLink(
    String hash,
    String appointment,
    String participant,
    String role,
    String display,
    String clinician,
    Instant startsAt,
    Instant notBefore,
    Instant notAfter,
    int failedChecks,
    Instant lockedAt,
    Instant revokedAt) {

  public static final String GUEST = "guest/";

  public boolean guest() {
    return participant.startsWith(GUEST);
  }

  public enum State {
    UNKNOWN,
    REVOKED,
    LOCKED,
    NOT_YET_OPEN,
    ENDED,
    OPEN
  }

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
