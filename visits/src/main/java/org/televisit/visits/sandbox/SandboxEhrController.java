package org.televisit.visits.sandbox;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.televisit.fhir.sandbox.SandboxLoaded;
import org.televisit.smart.server.GrantContext;
import org.televisit.smart.server.SmartClient;
import org.televisit.smart.server.SmartServer;
import org.televisit.visits.authorization.AuthorizeResponder;
import org.televisit.visits.web.Pages;

/**
 * The sandbox EHR (embedded default only): a launcher that signs a practitioner in and launches a
 * registered app for a patient and one of today's appointments exactly as an EHR would (iss +
 * launch), and the sign-in page the authorize endpoint sends users to.
 */
@RestController
@ConditionalOnProperty(
    name = "televisit.sandbox.enabled",
    havingValue = "true",
    matchIfMissing = true)
class SandboxEhrController {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  private final SandboxDirectory directory;
  private final SmartServer server;
  private final AuthorizeResponder responder;
  private final ZoneId zone = ZoneId.systemDefault();

  SandboxEhrController(
      SandboxDirectory directory, SmartServer server, AuthorizeResponder responder) {
    this.directory = directory;
    this.server = server;
    this.responder = responder;
  }

  /** The first page of a first run is the launcher. */
  @GetMapping("/")
  ResponseEntity<Void> home() {
    return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/sandbox")).build();
  }

  private volatile boolean loaded;

  @EventListener
  void on(SandboxLoaded event) {
    loaded = true;
  }

  @GetMapping(value = "/sandbox", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> launcher(HttpServletRequest request) {
    if (!loaded) {
      // a first start loads the clinic for ~20 s after Televisit is up: say so rather than list
      // nothing
      return Pages.html(
          HttpStatus.OK,
          "Sandbox EHR",
          "<meta http-equiv=\"refresh\" content=\"2\">"
              + "<p id=\"loading\" role=\"status\">The sandbox clinic (patients, clinicians and today's visits) is still loading;"
              + " a first start takes about 20 seconds. This page reloads by itself.</p>");
    }
    HttpSession session = request.getSession(true);
    List<SmartClient> apps = server.clients().launchable();
    StringBuilder body =
        new StringBuilder(
                "<p>This is Televisit's sandbox EHR. Pick who you are and a visit, and"
                    + " launch an app from the chart exactly as an EHR would.</p><form method=\"post\" action=\"/sandbox/launch\">")
            .append(Pages.formToken(session))
            .append(
                "<label for=\"practitioner\">You are</label><select id=\"practitioner\" name=\"practitioner\">");
    String signedIn = (String) session.getAttribute(AuthorizeResponder.USER);
    for (SandboxDirectory.Person p : directory.practitioners()) {
      body.append(option(p.reference(), p.name(), p.reference().equals(signedIn)));
    }
    Map<String, String> practitionerNames = new HashMap<>();
    directory.practitioners().forEach(p -> practitionerNames.put(p.reference(), p.name()));
    body.append("</select><label for=\"appointment\">Today's visit (times in ")
        .append(HtmlUtils.htmlEscape(zone.getId()))
        .append(")</label><select id=\"appointment\" name=\"appointment\">")
        .append(option("", "(none: pick a patient below)", false));
    for (SandboxDirectory.Visit v : directory.todaysVisits(zone)) {
      // whose visit it is: picking it picks that clinician above (the page's script), and the list
      // says so
      String with = practitionerNames.getOrDefault(v.practitioner(), "?");
      body.append("<option value=\"")
          .append(HtmlUtils.htmlEscape(v.appointment()))
          .append("\" data-practitioner=\"")
          .append(HtmlUtils.htmlEscape(v.practitioner() == null ? "" : v.practitioner()))
          .append("\">")
          .append(
              HtmlUtils.htmlEscape(
                  TIME.format(v.start().toInstant().atZone(zone))
                      + " "
                      + v.patientName()
                      + " with "
                      + with))
          .append("</option>");
    }
    body.append(
        "</select><label for=\"patient\">Patient (when no visit is picked)</label><select id=\"patient\" name=\"patient\">");
    for (SandboxDirectory.Person p : directory.patients()) {
      body.append(option(p.reference(), p.name(), false));
    }
    body.append("</select><label for=\"app\">App</label><select id=\"app\" name=\"app\">");
    for (SmartClient app : apps) {
      body.append(option(app.clientId(), app.name(), false));
    }
    body.append(
        "</select><label><input type=\"checkbox\" name=\"banner\" value=\"true\" checked> the app shows the"
            + " patient banner</label><label><input type=\"checkbox\" name=\"embedded\" value=\"true\" id=\"embedded\"> open the app"
            + " inside the chart, in a frame, as most EHRs do (needs HTTPS: <code>./televisit run --https</code>; open this"
            + " launcher at another address than the app's, e.g. 127.0.0.1 for localhost, to frame it from another site)</label><button type=\"submit\" id=\"launch\">Launch</button></form>"
            + "<script>document.getElementById('appointment').addEventListener('change', e => {"
            + " const who = e.target.selectedOptions[0].dataset.practitioner;"
            + " if (who) document.getElementById('practitioner').value = who; });</script>");
    if (apps.isEmpty()) {
      body.append("<p>No app with a launch URL is registered yet.</p>");
    }
    return Pages.html(HttpStatus.OK, "Sandbox EHR", body.toString());
  }

  @PostMapping(value = "/sandbox/launch", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> launch(
      @RequestParam String practitioner,
      @RequestParam(required = false) String appointment,
      @RequestParam(required = false) String patient,
      @RequestParam String app,
      @RequestParam(required = false) boolean banner,
      @RequestParam(required = false) boolean embedded,
      @RequestParam(name = "form_token", required = false) String formToken,
      HttpServletRequest request) {
    if (!Pages.formTokenMatches(request.getSession(false), formToken)) {
      return Pages.html(
          HttpStatus.FORBIDDEN,
          "Launch stopped",
          "<p>This form has expired. <a href=\"/sandbox\">Start again</a>.</p>");
    }
    Optional<SmartClient> client = server.clients().find(app).filter(c -> c.launchUrl() != null);
    if (client.isEmpty() || directory.exists("Practitioner", practitioner).isEmpty()) {
      return Pages.html(
          HttpStatus.BAD_REQUEST,
          "Launch stopped",
          "<p>Pick a practitioner and an app from the lists.</p>"
              + "<p><a href=\"/sandbox\">Back to the launcher</a></p>");
    }
    GrantContext context;
    if (appointment != null && !appointment.isBlank()) {
      var visit = directory.appointment(appointment);
      if (visit.isEmpty()) {
        return Pages.html(
            HttpStatus.BAD_REQUEST,
            "Launch stopped",
            "<p>That visit no longer exists.</p><p><a href=\"/sandbox\">Back</a></p>");
      }
      String visitPatient = SandboxDirectory.actor(visit.get(), "Patient");
      String encounter = directory.encounterFor(visit.get(), visitPatient, practitioner);
      context =
          new GrantContext(
              practitioner, visitPatient, encounter, List.of(appointment), banner, null);
    } else if (patient != null && directory.exists("Patient", patient).isPresent()) {
      context = new GrantContext(practitioner, patient, null, List.of(), banner, null);
    } else {
      return Pages.html(
          HttpStatus.BAD_REQUEST,
          "Launch stopped",
          "<p>Pick a visit or a patient.</p><p><a href=\"/sandbox\">Back</a></p>");
    }
    signIn(request, practitioner, null);
    String launch = server.launches().create(context);
    URI target =
        UriComponentsBuilder.fromUri(client.get().launchUrl())
            .queryParam("iss", server.urls().fhirBase().toString())
            .queryParam("launch", launch)
            .encode()
            .build()
            .toUri();
    if (embedded) {
      return chart(context, target);
    }
    return ResponseEntity.status(HttpStatus.FOUND).location(target).build();
  }

  /**
   * The chart with the app in a frame, on whatever origin this launcher was opened from: opened at
   * another address than Televisit's public URL, the app runs cross-site, as inside a real EHR.
   */
  private ResponseEntity<String> chart(GrantContext context, URI launch) {
    String patientName =
        directory.patients().stream()
            .filter(p -> p.reference().equals(context.patient()))
            .map(SandboxDirectory.Person::name)
            .findFirst()
            .orElse("patient");
    String body =
        "<p id=\"chart\">Chart of <strong>"
            + HtmlUtils.htmlEscape(patientName)
            + "</strong> · <a href=\"/sandbox\">back"
            + " to the launcher</a></p><iframe id=\"app\" title=\"Televisit\" src=\""
            + HtmlUtils.htmlEscape(launch.toString())
            + "\" allow=\"camera; microphone; display-capture; fullscreen\""
            + " style=\"width:100%;height:80vh;border:1px solid #9aa7b4;border-radius:.3rem\"></iframe>";
    return ResponseEntity.ok()
        .contentType(MediaType.TEXT_HTML)
        .header("Cache-Control", "no-store")
        .body(Pages.page("Sandbox EHR", "<style>body{max-width:80rem}</style>" + body));
  }

  @GetMapping(value = "/sandbox/sign-in", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> signInPage(HttpServletRequest request) {
    HttpSession session = request.getSession(true);
    AuthorizeResponder.PendingSignIn pending =
        (AuthorizeResponder.PendingSignIn) session.getAttribute(AuthorizeResponder.PENDING);
    if (pending == null) {
      return Pages.html(
          HttpStatus.BAD_REQUEST,
          "Nothing to sign in to",
          "<p>No app is waiting for you to sign in. Start the app again, or use the <a href=\"/sandbox\">launcher</a>.</p>");
    }
    StringBuilder body =
        new StringBuilder("<p>Sign in to the sandbox EHR for <strong>")
            .append(HtmlUtils.htmlEscape(pending.appName()))
            .append("</strong>.</p><form method=\"post\" action=\"/sandbox/sign-in\">")
            .append(Pages.formToken(session))
            .append(
                "<label for=\"practitioner\">You are</label><select id=\"practitioner\" name=\"practitioner\">");
    for (SandboxDirectory.Person p : directory.practitioners()) {
      if (pending.requiredUser() == null || pending.requiredUser().equals(p.reference())) {
        body.append(option(p.reference(), p.name(), p.reference().equals(pending.requiredUser())));
      }
    }
    body.append("</select>");
    if (pending.needsPatient()) {
      body.append("<label for=\"patient\">Patient</label><select id=\"patient\" name=\"patient\">");
      for (SandboxDirectory.Person p : directory.patients()) {
        body.append(option(p.reference(), p.name(), false));
      }
      body.append("</select>");
    }
    body.append("<button type=\"submit\" id=\"sign-in\">Sign in</button></form>");
    return Pages.html(HttpStatus.OK, "Sandbox EHR sign-in", body.toString());
  }

  @PostMapping(value = "/sandbox/sign-in", produces = MediaType.TEXT_HTML_VALUE)
  ResponseEntity<String> signIn(
      @RequestParam String practitioner,
      @RequestParam(required = false) String patient,
      @RequestParam(name = "form_token", required = false) String formToken,
      HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (!Pages.formTokenMatches(session, formToken)) {
      return Pages.html(
          HttpStatus.FORBIDDEN,
          "Sign-in stopped",
          "<p>This form has expired. Start the app again.</p>");
    }
    AuthorizeResponder.PendingSignIn pending =
        (AuthorizeResponder.PendingSignIn) session.getAttribute(AuthorizeResponder.PENDING);
    if (pending == null
        || directory.exists("Practitioner", practitioner).isEmpty()
        || (pending.needsPatient() && directory.exists("Patient", patient).isEmpty())) {
      return Pages.html(
          HttpStatus.BAD_REQUEST,
          "Sign-in stopped",
          "<p>Pick yourself (and a patient) from the lists," + " or start the app again.</p>");
    }
    signIn(request, practitioner, pending.needsPatient() ? patient : null);
    return responder.answer(new HashMap<>(pending.params()), request);
  }

  private static void signIn(HttpServletRequest request, String practitioner, String patient) {
    request.getSession(true);
    request.changeSessionId(); // a new session id at every sign-in (no fixation)
    HttpSession session = request.getSession();
    session.setAttribute(AuthorizeResponder.USER, practitioner);
    if (patient != null) {
      session.setAttribute(AuthorizeResponder.PICKED_PATIENT, patient);
    }
  }

  private static String option(String value, String label, boolean selected) {
    return "<option value=\""
        + HtmlUtils.htmlEscape(value)
        + "\""
        + (selected ? " selected" : "")
        + ">"
        + HtmlUtils.htmlEscape(label)
        + "</option>";
  }
}
