package org.televisit.visits.presence;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.televisit.visits.video.VideoPresence;

/** Janus's events about an admitted participant, turned into their presence in the visit. */
@Component
class VideoPresenceToPresence {

  private final Presence presence;

  VideoPresenceToPresence(Presence presence) {
    this.presence = presence;
  }

  @EventListener
  void on(VideoPresence event) {
    if (event.participant().isEmpty()) {
      return;
    }
    String state =
        switch (event.event().kind()) {
          case JOINED, WEBRTC_UP, MEDIA_RECEIVING -> "connected";
          case MEDIA_STOPPED, HANGUP -> "media-lost";
          case LEFT, SESSION_TIMEOUT, SESSION_DESTROYED -> "left";
        };
    var who = event.participant().get();
    presence.record(who.visitKey(), who.participant(), state, event.event().at());
  }
}
