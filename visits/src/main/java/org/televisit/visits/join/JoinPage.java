package org.televisit.visits.join;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.util.HtmlUtils;
import org.televisit.visits.audit.VisitAudit;
import org.televisit.visits.presence.Presence;
import org.televisit.visits.visit.VisitWorkflow;
import org.televisit.visits.web.Pages;

/**
 * The patient's way in: /join/{token}. Rate-limited per link and per client address; outside its
 * window the page says when it opens (or that the visit is over); with the birth-date check on, the
 * patient types their birth date (constant-time comparison, five failures lock the link). The
 * clinician's name and the time appear only after the check passes. Every check is audited.
 *
 * <p>A plain servlet, not a Spring MVC controller: a link check is Televisit's most frequent page
 * (every device of every patient, every reload, every guess), and Spring MVC's dispatch (handler
 * lookup, argument resolution, return-value handling) took more of the server's CPU than the
 * check's own code (about a third of it per check; docs/benchmarks.md). The servlet filters
 * (security headers, metrics) apply as to every page.
 */
final class JoinPage extends HttpServlet {

  static final String JOINED = "televisit.join.link";
  static final String PATH = "/join/{token}";
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEEE d MMMM 'at' HH:mm");
  private static final String TITLE = "Your video visit";

  private final transient JoinLinks links;
  private final transient JoinProperties properties;
  private final transient VisitAudit audit;
  private final transient DaoRegistry daos;
  private final transient VisitWorkflow workflow;
  private final transient Presence presence;
  private final transient AttemptLimiter limiter = new AttemptLimiter(Clock.systemUTC());
  private final transient ZoneId zone = ZoneId.systemDefault();

  JoinPage(
      JoinLinks links,
      JoinProperties properties,
      VisitAudit audit,
      DaoRegistry daos,
      VisitWorkflow workflow,
      Presence presence) {
    this.links = links;
    this.properties = properties;
    this.audit = audit;
    this.daos = daos;
    this.workflow = workflow;
    this.presence = presence;
  }

  /** A page to answer with; {@code body} is escaped HTML. */
  private record Page(int status, String title, String body) {
    void writeTo(HttpServletResponse response) throws IOException {
      Pages.write(response, status, title, body);
    }
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String token = token(request);
    JoinLink link = usable(token, request, response);
    if (link == null) {
      return;
    }
    if (checksBirthDate(link)) {
      new Page(200, TITLE, birthDateForm(token, null, request)).writeTo(response);
      return;
    }
    audit.recordLater(
        "link-check", true, link.appointment(), patientOf(link), opened(link, "link opened"));
    admitted(link, request).writeTo(response);
  }

  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String token = token(request);
    JoinLink link = usable(token, request, response);
    if (link == null) {
      return;
    }
    if (!checksBirthDate(link)) {
      admitted(link, request).writeTo(response);
      return;
    }
    if (!Pages.formTokenMatches(request.getSession(false), request.getParameter("form_token"))) {
      new Page(403, TITLE, "<p>This page has expired. Open the link from your e-mail again.</p>")
          .writeTo(response);
      return;
    }
    // An attempt is claimed before the answer is compared: however many arrive at once, at most the
    // limit are ever compared (30 parallel guesses used to get 17 tries before the lock)
    if (!links.claimAttempt(link)) {
      lockedPage().writeTo(response);
      return;
    }
    String birthDate = request.getParameter("birth_date");
    if (birthDate != null && sameDate(birthDate.trim(), birthDateOf(link.participant()))) {
      links.attemptSucceeded(link);
      audit.recordLater(
          "link-check", true, link.appointment(), patientOf(link), "birth date matched");
      admitted(link, request).writeTo(response);
      return;
    }
    boolean locked = links.lockIfSpent(link);
    audit.record(
        "link-check",
        false,
        link.appointment(),
        link.participant(),
        null,
        locked ? "birth date did not match; link locked" : "birth date did not match");
    (locked
            ? lockedPage()
            : new Page(
                200,
                TITLE,
                birthDateForm(
                    token, "That date does not match our records. Please try again.", request)))
        .writeTo(response);
  }

  /**
   * Every request here, whatever its method, is counted in the metrics by its route, never its
   * token.
   */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    ServerHttpObservationFilter.findObservationContext(request)
        .ifPresent(c -> c.setPathPattern(PATH));
    super.service(request, response);
  }

  /**
   * The token from /join/{token}; anything else under /join/ is no link (and is looked up as none).
   */
  private static String token(HttpServletRequest request) {
    String path = request.getPathInfo();
    return path == null || path.length() < 2 ? "" : path.substring(1);
  }

  /**
   * The patient entity of a link's AuditEvents: a guest is no FHIR resource (the Appointment names
   * the visit).
   */
  private static String patientOf(JoinLink link) {
    return link.guest() ? null : link.participant();
  }

  private static String opened(JoinLink link, String what) {
    return link.guest() ? what + " by an invited guest (" + link.role() + ")" : what;
  }

  /**
   * The birth-date check is the patient's: an invited guest has no birth date on file, and their
   * link went to them alone (and is theirs to lose: the clinician can remove them).
   */
  private boolean checksBirthDate(JoinLink link) {
    return properties.birthDateCheck() && !link.guest();
  }

  /** An open link, or the page that says why it cannot be used now. */
  private record Checked(JoinLink link, Page refusal) {
    static Checked refused(Page page) {
      return new Checked(null, page);
    }
  }

  /** The link if it can be used now; otherwise writes the page that says why, and returns null. */
  private JoinLink usable(String token, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Checked checked = limitOrRefuse(token, request);
    if (checked.refusal() != null) {
      checked.refusal().writeTo(response);
      return null;
    }
    return checked.link();
  }

  /** Limits, then the link's state. */
  private Checked limitOrRefuse(String token, HttpServletRequest request) {
    Optional<JoinLink> found = links.find(token);
    // Guesses (tokens that are no link) are counted apart from checks of real links: a guesser
    // behind
    // the same address as a clinic's patients (a NAT, a hospital proxy) cannot lock them out.
    String address = request.getRemoteAddr();
    boolean allowed =
        found.isPresent()
            ? limiter.allow("addr:" + address, properties.perAddressPerMinute())
                && limiter.allow("link:" + token, properties.perLinkPerMinute())
            : limiter.allow("guess:" + address, properties.perAddressPerMinute());
    if (!allowed) {
      return Checked.refused(
          new Page(
              429,
              "Please wait a minute",
              "<p>There were too many tries from here. Please wait a minute, then open your link again.</p>"));
    }
    Instant now = Instant.now();
    JoinLink.State state = found.map(l -> l.state(now)).orElse(JoinLink.State.UNKNOWN);
    if (state != JoinLink.State.OPEN) {
      found.ifPresent(
          l ->
              audit.recordLater(
                  "link-check",
                  false,
                  l.appointment(),
                  patientOf(l),
                  opened(l, "link " + state.name().toLowerCase())));
    }
    return switch (state) {
      case OPEN -> new Checked(found.get(), null);
      case UNKNOWN ->
          Checked.refused(
              new Page(
                  404,
                  "This is not a visit link",
                  "<p>This address is not a Televisit visit link. If you copied it from an e-mail, please check that you copied"
                      + " all of it, or open the link from the e-mail directly.</p>"));
      case REVOKED -> Checked.refused(revoked(found.get()));
      case LOCKED -> Checked.refused(lockedPage());
      case NOT_YET_OPEN ->
          Checked.refused(
              new Page(
                  200,
                  "Your visit has not opened yet",
                  "<p>Your link opens on <strong>"
                      + HtmlUtils.htmlEscape(TIME.format(found.get().notBefore().atZone(zone)))
                      + "</strong> ("
                      + HtmlUtils.htmlEscape(zone.getId())
                      + " time). Please come back then; you can keep this page.</p>"));
      case ENDED ->
          Checked.refused(
              new Page(
                  410,
                  "This visit is over",
                  "<p>This visit has ended. If you still need to talk to your clinician, please call the clinic.</p>"));
    };
  }

  private Page admitted(JoinLink link, HttpServletRequest request) {
    request.getSession(true).setAttribute(JOINED, link.hash());
    if ("patient".equals(link.role())) {
      workflow.arrived(link.appointment(), link.participant());
    }
    presence.waiting(VisitWorkflow.roomKey(link.appointment()), link.participant());
    String who =
        link.clinician() != null ? HtmlUtils.htmlEscape(link.clinician()) : "your clinician";
    return new Page(
        200,
        "Waiting room",
        "<link rel=\"stylesheet\" href=\"/css/visit.css\">"
            + "<p id=\"waiting\"><span id=\"where\">You are in the waiting room for</span> "
            + (link.guest() ? "the" : "your")
            + " visit with <strong>"
            + who
            + "</strong> on "
            + HtmlUtils.htmlEscape(TIME.format(link.startsAt().atZone(zone)))
            + " ("
            + HtmlUtils.htmlEscape(zone.getId())
            + ").</p>"
            + "<p id=\"status\" class=\"notice\" role=\"status\" aria-live=\"polite\">Your clinician will let you in. Please keep this"
            + " page open.</p>"
            + "<div id=\"tiles\" class=\"tiles\" data-clinician=\""
            + who
            + "\" aria-label=\"Video\" role=\"region\">"
            + "<figure class=\"tile\" id=\"self\"><video id=\"local\" autoplay playsinline muted aria-label=\"Your own camera\"></video>"
            + "<figcaption>You <span id=\"self-state\" class=\"self-state\"></span></figcaption></figure></div>"
            + "<div id=\"controls\" class=\"controls\" role=\"group\" aria-label=\"Call controls\">"
            + "<button type=\"button\" id=\"mute\" class=\"secondary\" aria-pressed=\"false\">Mute</button>"
            + "<button type=\"button\" id=\"camera\" class=\"secondary\" aria-pressed=\"false\">Camera off</button>"
            + "<button type=\"button\" id=\"switch-camera\" class=\"secondary\" hidden>Switch camera</button>"
            + "<button type=\"button\" id=\"leave\" class=\"secondary\" hidden>Leave</button>"
            + "<button type=\"button\" id=\"rejoin\" hidden>Join again</button></div>"
            + "<p id=\"devices\" role=\"status\">Checking your camera and microphone…</p>"
            + "<button type=\"button\" id=\"retry\" hidden>Try again</button>"
            + "<details class=\"devices-choice\"><summary>Camera and microphone</summary>"
            + "<label for=\"camera-choice\">Camera</label><select id=\"camera-choice\"></select>"
            + "<label for=\"mic-choice\">Microphone</label><select id=\"mic-choice\"></select></details>"
            + "<script src=\"/vendor/adapter/adapter.min.js\"></script><script src=\"/vendor/janus/janus.min.js\"></script>"
            + "<script src=\"/js/visit-video.js\"></script><script src=\"/js/waiting-room.js\"></script>");
  }

  /**
   * Why a link was withdrawn, in the visit's own terms: cancelled, moved (a new link went out),
   * ended, or taken back.
   */
  private Page revoked(JoinLink link) {
    Appointment.AppointmentStatus status = appointmentStatus(link.appointment());
    if (status == Appointment.AppointmentStatus.CANCELLED
        || status == Appointment.AppointmentStatus.NOSHOW) {
      return new Page(
          410,
          "This visit was cancelled",
          "<p>This visit was cancelled. If you still need to see your clinician, please call the clinic.</p>");
    }
    if (status == Appointment.AppointmentStatus.FULFILLED) {
      return new Page(
          410,
          "This visit is over",
          "<p>This visit has ended. If you still need to talk to your clinician, please call the clinic.</p>");
    }
    if (status != null && !link.guest()) {
      return new Page(
          410,
          "Your visit was moved",
          "<p>Your visit was moved to another time, and a new link was sent to you. Please use the link in your latest"
              + " e-mail.</p>");
    }
    return new Page(
        410,
        "This link does not work any more",
        "<p>This link was withdrawn. If you think that is a mistake, please call the clinic; they can send you a new one.</p>");
  }

  private Appointment.AppointmentStatus appointmentStatus(String appointment) {
    try {
      return ((Appointment)
              daos.getResourceDao("Appointment")
                  .read(new IdType(appointment), new SystemRequestDetails()))
          .getStatus();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Page lockedPage() {
    return new Page(
        403,
        "This link is locked",
        "<p>This link was locked after too many tries. Please call the clinic; they can send you a new one.</p>");
  }

  private String birthDateForm(String token, String error, HttpServletRequest request) {
    return (error != null ? "<p role=\"alert\">" + HtmlUtils.htmlEscape(error) + "</p>" : "")
        + "<p>To protect your privacy, please confirm your date of birth.</p><form method=\"post\" action=\"/join/"
        + HtmlUtils.htmlEscape(token)
        + "\">"
        + Pages.formToken(request.getSession(true))
        + "<label for=\"birth_date\">Date of birth</label><input id=\"birth_date\" name=\"birth_date\" type=\"date\" required"
        + " style=\"font-size:1rem;padding:.4rem;width:100%\"><button type=\"submit\">Continue</button></form>";
  }

  private String birthDateOf(String patient) {
    try {
      Patient p =
          (Patient)
              daos.getResourceDao("Patient").read(new IdType(patient), new SystemRequestDetails());
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
