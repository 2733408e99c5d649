package org.televisit.visits.join;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.televisit.visits.video.BrowserJoin;
import org.televisit.visits.visit.VisitWorkflow;

/**
 * The waiting room asks whether the clinician has let this person in; once admitted, the answer
 * carries their own Janus join data (rejoin works the same way while the visit is open). The
 * browser session holds the link's hash from {@link JoinPage}, never the token.
 */
@RestController
class WaitingRoomController {

  private final JoinLinks links;
  private final VisitWorkflow workflow;

  WaitingRoomController(JoinLinks links, VisitWorkflow workflow) {
    this.links = links;
    this.workflow = workflow;
  }

  @GetMapping(value = "/api/waiting-room", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Map<String, Object>> waitingRoom(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    Optional<JoinLink> link =
        links
            .byHash(session == null ? null : (String) session.getAttribute(JoinPage.JOINED))
            .filter(l -> l.state(Instant.now()) == JoinLink.State.OPEN);
    if (link.isEmpty()) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .body(Map.of("message", "Open the link from your e-mail to enter the waiting room."));
    }
    return workflow
        .joinDataFor(link.get().appointment(), link.get().participant())
        .map(
            join ->
                ResponseEntity.ok()
                    .header("Cache-Control", "no-store")
                    .body(Map.<String, Object>of("admitted", true, "join", BrowserJoin.of(join))))
        .orElseGet(
            () ->
                ResponseEntity.ok()
                    .header("Cache-Control", "no-store")
                    .body(Map.<String, Object>of("admitted", false)));
  }
}
