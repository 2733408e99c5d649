package org.televisit.visits.join;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import org.televisit.visits.audit.VisitAudit;
import org.televisit.visits.web.Pages;

/**
 * The patient's way in: /join/{token}. Rate-limited per link and per client address; outside its
 * window the page says when it opens (or that the visit is over); with the birth-date check on, the
 * patient types their birth date (constant-time comparison, five failures lock the link). The
 * clinician's name and the time appear only after the check passes. Every check is audited.
 */
@RestController
@EnableConfigurationProperties(JoinProperties.class)
class JoinPageController {

  static final String JOINED = "televisit.join.link";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEEE d MMMM 'at' HH:mm");

  private final JoinLinks links;
  private final JoinProperties properties;
  private final VisitAudit audit;
  private final DaoRegistry daos;
  private final org.televisit.visits.visit.VisitWorkflow workflow;
  private final org.televisit.visits.presence.Presence presence;
  private final AttemptLimiter limiter = new AttemptLimiter(Clock.systemUTC());
  private final ZoneId zone = ZoneId.systemDefault();

  JoinPageController(JoinLinks links, JoinProperties properties, VisitAudit audit, DaoRegistry daos,
      org.televisit.visits.visit.VisitWorkflow workflow, org.televisit.visits.presence.Presence presence) {
    this.workflow = workflow;
    this.presence = presence;
    this.links = links;
    this.properties = properties;
    this.audit = audit;
    this.daos = daos;
  }

  @GetMapping(value = "/join/{token}", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> open(@PathVariable String token, HttpServletRequest request) {
    Checked checked = limitOrRefuse(token, request);
    if (checked.refusal() != null) {
      return checked.refusal();
    }
    JoinLink link = checked.link();
    if (checksBirthDate(link)) {
      return Pages.html(HttpStatus.OK, "Your video visit", birthDateForm(token, null, request));
    }
    audit.recordLater("link-check", true, link.appointment(), patientOf(link), opened(link, "link opened"));
    return admitted(link, request);
  }

  @PostMapping(value = "/join/{token}", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> check(@PathVariable String token, @RequestParam(name = "birth_date", required = false) String birthDate,
      @RequestParam(name = "form_token", required = false) String formToken, HttpServletRequest request) {
    Checked checked = limitOrRefuse(token, request);
    if (checked.refusal() != null) {
      return checked.refusal();
    }
    JoinLink link = checked.link();
    if (!checksBirthDate(link)) {
      return admitted(link, request);
    }
    if (!Pages.formTokenMatches(request.getSession(false), formToken)) {
      return Pages.html(HttpStatus.FORBIDDEN, "Your video visit", "<p>This page has expired. Open the link from your e-mail again.</p>");
    }
    if (birthDate != null && sameDate(birthDate.trim(), birthDateOf(link.participant()))) {
      audit.recordLater("link-check", true, link.appointment(), patientOf(link), "birth date matched");
      return admitted(link, request);
    }
    boolean locked = links.recordFailure(link);
    audit.record("link-check", false, link.appointment(), link.participant(), null,
        locked ? "birth date did not match; link locked" : "birth date did not match");
    if (locked) {
      return lockedPage();
    }
    return Pages.html(HttpStatus.OK, "Your video visit", birthDateForm(token, "That date does not match our records. Please try again.", request));
  }

  /** The patient entity of a link's AuditEvents: a guest is no FHIR resource (the Appointment names the visit). */
  private static String patientOf(JoinLink link) {
    return link.guest() ? null : link.participant();
  }

  private static String opened(JoinLink link, String what) {
    return link.guest() ? what + " by an invited guest (" + link.role() + ")" : what;
  }

  /**
   * The birth-date check is the patient's: an invited guest has no birth date on file, and their link
   * went to them alone (and is theirs to lose: the clinician can remove them).
   */
  private boolean checksBirthDate(JoinLink link) {
    return properties.birthDateCheck() && !link.guest();
  }

  /** An open link, or the page that says why it cannot be used now. */
  private record Checked(JoinLink link, ResponseEntity<String> refusal) {
    static Checked refused(ResponseEntity<String> page) {
      return new Checked(null, page);
    }
  }

  /** Limits, then the link's state. */
  private Checked limitOrRefuse(String token, HttpServletRequest request) {
    if (!limiter.allow("addr:" + request.getRemoteAddr(), properties.perAddressPerMinute())
        || !limiter.allow("link:" + token, properties.perLinkPerMinute())) {
      return Checked.refused(Pages.html(HttpStatus.TOO_MANY_REQUESTS, "Please wait a minute",
          "<p>There were too many tries from here. Please wait a minute, then open your link again.</p>"));
    }
    Optional<JoinLink> found = links.find(token);
    Instant now = Instant.now();
    JoinLink.State state = found.map(l -> l.state(now)).orElse(JoinLink.State.UNKNOWN);
    if (state != JoinLink.State.OPEN) {
      found.ifPresent(l -> audit.recordLater("link-check", false, l.appointment(), patientOf(l),
          opened(l, "link " + state.name().toLowerCase())));
    }
    return switch (state) {
      case OPEN -> new Checked(found.get(), null);
      case UNKNOWN, REVOKED -> Checked.refused(Pages.html(HttpStatus.NOT_FOUND, "This link does not work any more",
          "<p>This visit link is not valid any more. If your visit was moved, a new link was sent to you. Please check your"
              + " latest e-mail or call the clinic.</p>"));
      case LOCKED -> Checked.refused(lockedPage());
      case NOT_YET_OPEN -> Checked.refused(Pages.html(HttpStatus.OK, "Your visit has not opened yet",
          "<p>Your link opens on <strong>" + HtmlUtils.htmlEscape(TIME.format(found.get().notBefore().atZone(zone)))
              + "</strong>. Please come back then; you can keep this page.</p>"));
      case ENDED -> Checked.refused(Pages.html(HttpStatus.GONE, "This visit is over",
          "<p>This visit has ended. If you still need to talk to your clinician, please call the clinic.</p>"));
    };
  }

  private ResponseEntity<String> admitted(JoinLink link, HttpServletRequest request) {
    request.getSession(true).setAttribute(JOINED, link.hash());
    if ("patient".equals(link.role())) {
      workflow.arrived(link.appointment(), link.participant());
    }
    presence.waiting(org.televisit.visits.visit.VisitWorkflow.roomKey(link.appointment()), link.participant());
    String who = link.clinician() != null ? HtmlUtils.htmlEscape(link.clinician()) : "your clinician";
    return Pages.html(HttpStatus.OK, "Waiting room", "<p id=\"waiting\">You are in the waiting room for "
        + (link.guest() ? "the" : "your") + " visit with <strong>" + who + "</strong> on " + HtmlUtils.htmlEscape(TIME.format(link.startsAt().atZone(zone)))
        + ".</p><p id=\"status\">Your clinician will let you in. Please keep this page open.</p>"
        + "<video id=\"remote\" autoplay playsinline style=\"width:100%;background:#111;border-radius:6px\"></video>"
        + "<video id=\"local\" autoplay playsinline muted style=\"width:35%;border-radius:6px\"></video>"
        + "<p id=\"devices\">Checking your camera and microphone…</p>"
        + "<script src=\"/vendor/adapter/adapter.js\"></script><script src=\"/vendor/janus/janus.js\"></script>"
        + "<script src=\"/js/visit-video.js\"></script><script src=\"/js/waiting-room.js\"></script>");
  }

  /**
   * The waiting room asks whether the clinician has let this person in; once admitted, the answer
   * carries their own Janus join data (rejoin works the same way while the visit is open).
   */
  @GetMapping(value = "/api/waiting-room", produces = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<java.util.Map<String, Object>> waitingRoom(HttpServletRequest request) {
    jakarta.servlet.http.HttpSession session = request.getSession(false);
    Optional<JoinLink> link = links.byHash(session == null ? null : (String) session.getAttribute(JOINED))
        .filter(l -> l.state(Instant.now()) == JoinLink.State.OPEN);
    if (link.isEmpty()) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(java.util.Map.of("message",
          "Open the link from your e-mail to enter the waiting room."));
    }
    return workflow.joinDataFor(link.get().appointment(), link.get().participant())
        .map(join -> ResponseEntity.ok().header("Cache-Control", "no-store").body(java.util.Map.<String, Object>of(
            "admitted", true, "join", org.televisit.visits.console.VisitConsoleController.join(join))))
        .orElseGet(() -> ResponseEntity.ok().header("Cache-Control", "no-store")
            .body(java.util.Map.<String, Object>of("admitted", false)));
  }

  private ResponseEntity<String> lockedPage() {
    return Pages.html(HttpStatus.FORBIDDEN, "This link is locked",
        "<p>This link was locked after too many tries. Please call the clinic; they can send you a new one.</p>");
  }

  private String birthDateForm(String token, String error, HttpServletRequest request) {
    return (error != null ? "<p role=\"alert\">" + HtmlUtils.htmlEscape(error) + "</p>" : "")
        + "<p>To protect your privacy, please confirm your date of birth.</p><form method=\"post\" action=\"/join/"
        + HtmlUtils.htmlEscape(token) + "\">" + Pages.formToken(request.getSession(true))
        + "<label for=\"birth_date\">Date of birth</label><input id=\"birth_date\" name=\"birth_date\" type=\"date\" required"
        + " style=\"font-size:1rem;padding:.4rem;width:100%\"><button type=\"submit\">Continue</button></form>";
  }

  private String birthDateOf(String patient) {
    try {
      Patient p = (Patient) daos.getResourceDao("Patient").read(new IdType(patient), new SystemRequestDetails());
      return p.hasBirthDate() ? p.getBirthDateElement().getValueAsString() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static boolean sameDate(String typed, String stored) {
    // compared in constant time; a missing birth date never matches
    byte[] a = typed.getBytes(StandardCharsets.UTF_8);
    byte[] b = (stored == null ? "\u0000missing" : stored).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(a, b) && stored != null;
  }
}
