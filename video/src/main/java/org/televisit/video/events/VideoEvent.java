package org.televisit.video.events;

import java.time.Instant;

/**
 * What happened to someone's video, as Janus reported it. {@code opaqueId} is the id Televisit gave
 * the participant at admission (janus.js passes it on attach); {@code room} and {@code feedId} are
 * set on videoroom events. Janus may deliver an event twice or out of order: consumers compare
 * {@code at} and treat each kind as a state, not a counter.
 */
public record VideoEvent(
    Kind kind,
    Instant at,
    long sessionId,
    Long handleId,
    String opaqueId,
    Long room,
    Long feedId,
    String media) {

  public enum Kind {
    /** joined the videoroom (publisher or subscriber) */
    JOINED,
    /** left the videoroom (leaving, unpublished and kicked included) */
    LEFT,
    /** the PeerConnection is up */
    WEBRTC_UP,
    /** the PeerConnection went down */
    HANGUP,
    /** media of {@code media} type flows in again */
    MEDIA_RECEIVING,
    /** media of {@code media} type stopped arriving */
    MEDIA_STOPPED,
    /** the session timed out (no keep-alive) */
    SESSION_TIMEOUT,
    /** the session ended */
    SESSION_DESTROYED
  }
}
