package org.televisit.visits.video;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.televisit.video.events.JanusEvents;
import org.televisit.video.events.VideoEvent;
import org.televisit.video.rooms.Admission;
import org.televisit.video.rooms.VideoRooms;

/**
 * Receives Janus's event handler POSTs (basic auth, user "janus", the configured events password),
 * parses them into typed events tied to the participant, and publishes them. Duplicates and
 * out-of-order deliveries are passed on as they come: each event carries Janus's timestamp.
 */
@RestController
class JanusEventsController {

  private static final Logger log = LoggerFactory.getLogger(JanusEventsController.class);
  static final int MAX_BODY_BYTES = 256 * 1024;

  private final VideoBackend backend;
  private final ApplicationEventPublisher publisher;
  private final JanusEvents parser = new JanusEvents();

  JanusEventsController(VideoBackend backend, ApplicationEventPublisher publisher) {
    this.backend = backend;
    this.publisher = publisher;
  }

  @PostMapping(VideoBackend.EVENTS_PATH)
  ResponseEntity<String> receive(HttpServletRequest request) throws IOException {
    if (!authorised(request.getHeader(HttpHeaders.AUTHORIZATION))) {
      log.warn("Refused Janus events without valid credentials");
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"janus-events\"")
          .build();
    }
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body("Event batch too large.");
    }
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE).body("Event batch too large.");
    }
    List<VideoEvent> events;
    try {
      events = parser.parse(body);
    } catch (JanusEvents.MalformedEvents e) {
      return ResponseEntity.badRequest().body("Not Janus events: " + e.getMessage());
    }
    Optional<VideoRooms> rooms = backend.rooms();
    for (VideoEvent event : events) {
      Optional<Admission> participant = rooms.flatMap(r -> r.participantOf(event));
      publisher.publishEvent(new VideoPresence(event, participant));
    }
    return ResponseEntity.noContent().build();
  }

  /** Constant-time comparison of the whole header against the expected one. */
  private boolean authorised(String header) {
    Optional<String> password = backend.eventsPassword();
    if (password.isEmpty() || header == null) {
      return false;
    }
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("janus:" + password.get()).getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
  }
}
