package org.televisit.video.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses what Janus's sample event handler POSTs (one event, or an array when grouping) into {@link
 * VideoEvent}s. Events Televisit has no use for are skipped; a body that is not Janus event JSON is
 * refused with {@link MalformedEvents}.
 */
public final class JanusEvents {

  static final int SESSION = 1;
  static final int WEBRTC = 16;
  static final int MEDIA = 32;
  static final int PLUGIN = 64;

  private final ObjectMapper mapper = new ObjectMapper();

  /** The body could not be read as Janus events. */
  public static final class MalformedEvents extends RuntimeException {
    MalformedEvents(String message) {
      super(message);
    }
  }

  public List<VideoEvent> parse(byte[] body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (IOException e) {
      throw new MalformedEvents("not JSON");
    }
    if (root == null || !(root.isArray() || root.isObject())) {
      throw new MalformedEvents("not a Janus event or array of events");
    }
    List<VideoEvent> events = new ArrayList<>();
    for (JsonNode item : root.isArray() ? root : List.of(root)) {
      if (!item.isObject() || !item.has("type") || !item.path("type").canConvertToInt()) {
        throw new MalformedEvents("an event without a numeric type");
      }
      VideoEvent event = toEvent(item);
      if (event != null) {
        events.add(event);
      }
    }
    return events;
  }

  private static VideoEvent toEvent(JsonNode item) {
    int type = item.path("type").asInt();
    JsonNode event = item.path("event");
    Instant at = Instant.EPOCH.plusNanos(item.path("timestamp").asLong() * 1000);
    long session = item.path("session_id").asLong();
    Long handle = item.hasNonNull("handle_id") ? item.path("handle_id").asLong() : null;
    String opaque = item.hasNonNull("opaque_id") ? item.path("opaque_id").asText() : null;
    switch (type) {
      case SESSION -> {
        String name = event.path("name").asText();
        if ("timeout".equals(name)) {
          return new VideoEvent(
              VideoEvent.Kind.SESSION_TIMEOUT, at, session, null, null, null, null, null);
        }
        if ("destroyed".equals(name)) {
          return new VideoEvent(
              VideoEvent.Kind.SESSION_DESTROYED, at, session, null, null, null, null, null);
        }
        return null;
      }
      case WEBRTC -> {
        String connection = event.path("connection").asText();
        if ("webrtcup".equals(connection)) {
          return new VideoEvent(
              VideoEvent.Kind.WEBRTC_UP, at, session, handle, opaque, null, null, null);
        }
        if ("hangup".equals(connection)) {
          return new VideoEvent(
              VideoEvent.Kind.HANGUP, at, session, handle, opaque, null, null, null);
        }
        return null;
      }
      case MEDIA -> {
        if (!event.has("receiving")) {
          return null;
        }
        String media = event.path("media").asText(null);
        VideoEvent.Kind kind =
            event.path("receiving").asBoolean()
                ? VideoEvent.Kind.MEDIA_RECEIVING
                : VideoEvent.Kind.MEDIA_STOPPED;
        return new VideoEvent(kind, at, session, handle, opaque, null, null, media);
      }
      case PLUGIN -> {
        if (!"janus.plugin.videoroom".equals(event.path("plugin").asText())) {
          return null;
        }
        JsonNode data = event.path("data");
        String what = data.path("event").asText();
        Long room =
            data.hasNonNull("room") && data.path("room").canConvertToLong()
                ? data.path("room").asLong()
                : null;
        Long feed =
            data.hasNonNull("id") && data.path("id").canConvertToLong()
                ? data.path("id").asLong()
                : null;
        return switch (what) {
          case "joined", "subscribing", "subscribed" ->
              new VideoEvent(VideoEvent.Kind.JOINED, at, session, handle, opaque, room, feed, null);
          case "leaving", "unsubscribed", "kicked" ->
              new VideoEvent(VideoEvent.Kind.LEFT, at, session, handle, opaque, room, feed, null);
          default -> null;
        };
      }
      default -> {
        return null;
      }
    }
  }
}
