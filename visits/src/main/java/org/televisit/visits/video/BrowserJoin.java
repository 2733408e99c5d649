package org.televisit.visits.video;

import java.util.LinkedHashMap;
import java.util.Map;
import org.televisit.video.rooms.JoinData;

/**
 * What a browser needs to join a visit's room (the clinician's console and every guest's page
 * alike).
 */
public final class BrowserJoin {

  private BrowserJoin() {}

  public static Map<String, Object> of(JoinData join) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("janusUrl", join.janusUrl());
    body.put("room", join.room());
    body.put("pin", join.pin());
    body.put("token", join.token());
    body.put("feedId", join.feedId());
    body.put("opaqueId", join.opaqueId());
    body.put("display", join.display());
    body.put("role", join.role());
    return body;
  }
}
